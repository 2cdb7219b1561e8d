import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DETECTOR_CONFIG, parseDetectorConfig } from '../../src/detector/config.ts';

function errorOf(json: unknown): ConfigError {
  try {
    parseDetectorConfig(json);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseDetectorConfig', () => {
  it('gives the defaults for an empty document', () => {
    expect(parseDetectorConfig({})).toEqual(DEFAULT_DETECTOR_CONFIG);
  });

  it('merges settings over the defaults, nested ones too, and leaves the defaults untouched', () => {
    const config = parseDetectorConfig({ windows: { windowMs: 1_800_000 }, scorer: { alertBudget: 0.01, confirmation: { windows: 3 }, linker: { templateJaccard: 0.8 } } });
    expect(config.windows.windowMs).toBe(1_800_000);
    expect(config.windows.latenessMs).toBe(DEFAULT_DETECTOR_CONFIG.windows.latenessMs);
    expect(config.scorer.alertBudget).toBe(0.01);
    expect(config.scorer.confirmation).toEqual({ ...DEFAULT_DETECTOR_CONFIG.scorer.confirmation, windows: 3 });
    expect(config.scorer.linker.templateJaccard).toBe(0.8);
    expect(DEFAULT_DETECTOR_CONFIG.windows.windowMs).toBe(3_600_000);
    expect(DEFAULT_DETECTOR_CONFIG.scorer.confirmation.windows).toBe(2);
  });

  it('names the key of a value of the wrong type', () => {
    const err = errorOf({ scorer: { alertBudget: 'high' } });
    expect(err.key).toBe('scorer.alertBudget');
    expect(err.message).toBe('scorer.alertBudget: must be a non-negative finite number');
    expect(errorOf({ windows: { windowMs: -1 } }).message).toBe('windows.windowMs: must be a non-negative finite number');
    expect(errorOf({ scorer: { confirmation: { spanMs: null } } }).key).toBe('scorer.confirmation.spanMs');
  });

  it('names an unknown key and lists the known ones, so a typo never falls back to a default', () => {
    const err = errorOf({ scorer: { alertBudjet: 0.1 } });
    expect(err.key).toBe('scorer.alertBudjet');
    expect(err.message).toMatch(/^scorer\.alertBudjet: unknown setting \(known: seed, warmupMs, .*alertBudget.*\)$/);
    expect(errorOf({ window: {} }).message).toBe('window: unknown setting (known: windows, scorer)');
  });

  it('rejects a document or a section that is not a JSON object', () => {
    expect(errorOf([]).message).toBe('(root): must be a JSON object');
    expect(errorOf(null).key).toBe('(root)');
    expect(errorOf({ scorer: 5 }).message).toBe('scorer: must be a JSON object');
  });

  it('is a typed, non-retriable error a caller can branch on', () => {
    const err = errorOf({ nope: 1 });
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.name).toBe('ConfigError');
    expect(err.retriable).toBe(false);
  });
});
