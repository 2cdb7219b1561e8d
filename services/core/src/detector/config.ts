// Detector settings: every knob with its documented default, and strict validation of a user's
// JSON config (`detect --config C`) that names the offending key. Pure.
import { DEFAULT_WINDOW_TIMING, type WindowTiming } from '../windows/assembler.ts';
import { DEFAULT_SCORER_OPTIONS, type ScorerOptions } from './scorer.ts';
import { DEFAULT_CAMPAIGN_LINKER_OPTIONS } from '../campaigns/campaignLinker.ts';

export interface DetectorConfig {
  windows: WindowTiming;
  scorer: ScorerOptions;
}

export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = {
  windows: { ...DEFAULT_WINDOW_TIMING },
  scorer: { ...DEFAULT_SCORER_OPTIONS, linker: { ...DEFAULT_CAMPAIGN_LINKER_OPTIONS }, confirmation: { ...DEFAULT_SCORER_OPTIONS.confirmation } },
};

/** A config document that cannot be used; `key` is the dotted path at fault. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly retriable = false;
  readonly key: string;
  constructor(key: string, message: string) {
    super(`${key}: ${message}`);
    this.key = key;
  }
}

/**
 * Merges a user's config over the defaults. Unknown keys and wrong types are errors (a typo
 * must not silently fall back to a default).
 */
export function parseDetectorConfig(json: unknown): DetectorConfig {
  const out = structuredClone(DEFAULT_DETECTOR_CONFIG);
  mergeInto(out as unknown as Record<string, unknown>, json, '');
  return out;
}

function mergeInto(target: Record<string, unknown>, source: unknown, path: string): void {
  if (source === null || typeof source !== 'object' || Array.isArray(source)) {
    throw new ConfigError(path || '(root)', 'must be a JSON object');
  }
  for (const [k, v] of Object.entries(source)) {
    const key = path ? `${path}.${k}` : k;
    if (!(k in target)) throw new ConfigError(key, `unknown setting (known: ${Object.keys(target).join(', ')})`);
    const current = target[k];
    if (current !== null && typeof current === 'object') {
      mergeInto(current as Record<string, unknown>, v, key);
    } else if (typeof current === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ConfigError(key, 'must be a non-negative finite number');
      target[k] = v;
    } else {
      throw new ConfigError(key, 'cannot be set');
    }
  }
}
