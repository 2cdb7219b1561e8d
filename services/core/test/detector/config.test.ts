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
    expect(errorOf({ windows: { idleGraceMs: -1 } }).message).toBe('windows.idleGraceMs: must be a non-negative finite number');
    expect(errorOf({ scorer: { confirmation: { spanMs: null } } }).key).toBe('scorer.confirmation.spanMs');
  });

  it('names a value out of its range, before it can fail deep inside the detector', () => {
    const cases: Array<[unknown, string]> = [
      [{ windows: { windowMs: 0 } }, 'windows.windowMs: must be a whole number of milliseconds that divides a day, e.g. 3600000'],
      [{ windows: { windowMs: 1_234_567 } }, 'windows.windowMs: must be a whole number of milliseconds that divides a day, e.g. 3600000'],
      [{ windows: { latenessMs: 0.5 } }, 'windows.latenessMs: must be an integer >= 0'],
      [{ scorer: { seed: 1.5 } }, 'scorer.seed: must be an integer in [0, 2^32)'],
      [{ scorer: { seed: 2 ** 32 } }, 'scorer.seed: must be an integer in [0, 2^32)'],
      [{ scorer: { trees: 0 } }, 'scorer.trees: must be an integer >= 1'],
      [{ scorer: { trees: 2.5 } }, 'scorer.trees: must be an integer >= 1'],
      [{ scorer: { sampleSize: 1 } }, 'scorer.sampleSize: must be an integer >= 2'],
      [{ scorer: { trainingRowsPerDay: 31 } }, 'scorer.trainingRowsPerDay: must be an integer >= 32'],
      [{ scorer: { alertBudget: 0 } }, 'scorer.alertBudget: must be in (0, 1)'],
      [{ scorer: { alertBudget: 5 } }, 'scorer.alertBudget: must be in (0, 1)'],
      [{ scorer: { minScore: 1.5 } }, 'scorer.minScore: must be in [0, 1]'],
      [{ scorer: { reasons: 2 } }, 'scorer.reasons: must be an integer >= 3'],
      [{ scorer: { confirmation: { windows: 0.5 } } }, 'scorer.confirmation.windows: must be an integer >= 1'],
      [{ scorer: { linker: { templateJaccard: 2 } } }, 'scorer.linker.templateJaccard: must be in [0, 1]'],
      [{ scorer: { linker: { maxKeyFanout: 1 } } }, 'scorer.linker.maxKeyFanout: must be an integer >= 2'],
      [{ scorer: { linker: { networkSharedAccounts: 1 } } }, 'scorer.linker.networkSharedAccounts: must be an integer >= 2'],
      [{ scorer: { linker: { maxHandoverGapMs: 0.5 } } }, 'scorer.linker.maxHandoverGapMs: must be an integer >= 0'],
      [{ scorer: { unobservedBreadth: 0.4 } }, 'scorer.unobservedBreadth: must be in [0.5, 1]'],
      [{ scorer: { unobservedBreadth: 1.5 } }, 'scorer.unobservedBreadth: must be in [0.5, 1]'],
      [{ scorer: { campaignStrongestMember: 1.5 } }, 'scorer.campaignStrongestMember: must be in [0, 1]'],
      [{ scorer: { weakCampaignMembers: 0 } }, 'scorer.weakCampaignMembers: must be an integer >= 1'],
    ];
    for (const [json, message] of cases) expect(errorOf(json).message).toBe(message);
    expect(parseDetectorConfig({ windows: { windowMs: 900_000 }, scorer: { alertBudget: 0.001, minScore: 1, reasons: 3 } }).scorer.reasons).toBe(3);
    expect(parseDetectorConfig({ scorer: { unobservedBreadth: 0.625 } }).scorer.unobservedBreadth).toBe(0.625);
    expect(parseDetectorConfig({ scorer: { campaignStrongestMember: 0 } }).scorer.campaignStrongestMember).toBe(0);
    expect(parseDetectorConfig({ scorer: { weakCampaignMembers: 2 } }).scorer.weakCampaignMembers).toBe(2);
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
