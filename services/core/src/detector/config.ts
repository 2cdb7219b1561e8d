// Detector settings: every knob with its documented default, and strict validation of a user's
// JSON config (`detect --config C`) that names the offending key. Pure.
import { DEFAULT_WINDOW_TIMING, type WindowTiming } from '../windows/assembler.ts';
import { DEFAULT_SCORER_OPTIONS, type ScorerOptions } from './scorer.ts';
import { DEFAULT_CAMPAIGN_LINKER_OPTIONS } from '../campaigns/campaignLinker.ts';
import { ConfigError, DetectorConfigError } from '../errors.ts';

// The one ConfigError of the tree (errors.ts); re-exported where callers have always found it.
export { ConfigError, DetectorConfigError };

export interface DetectorConfig {
  windows: WindowTiming;
  scorer: ScorerOptions;
}

export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = {
  windows: { ...DEFAULT_WINDOW_TIMING },
  scorer: { ...DEFAULT_SCORER_OPTIONS, linker: { ...DEFAULT_CAMPAIGN_LINKER_OPTIONS }, confirmation: { ...DEFAULT_SCORER_OPTIONS.confirmation } },
};

/**
 * Merges a user's config over the defaults. Unknown keys, wrong types and values out of range
 * are errors naming the key (a typo must not silently fall back to a default, and a bad value
 * must not surface later as an internal error deep in the forest or the calibration).
 */
export function parseDetectorConfig(json: unknown): DetectorConfig {
  const out = structuredClone(DEFAULT_DETECTOR_CONFIG);
  mergeInto(out as unknown as Record<string, unknown>, json, '');
  return out;
}

function mergeInto(target: Record<string, unknown>, source: unknown, path: string): void {
  if (source === null || typeof source !== 'object' || Array.isArray(source)) {
    throw new DetectorConfigError(path || '(root)', 'must be a JSON object');
  }
  for (const [k, v] of Object.entries(source)) {
    const key = path ? `${path}.${k}` : k;
    if (!(k in target)) throw new DetectorConfigError(key, `unknown setting (known: ${Object.keys(target).join(', ')})`);
    const current = target[k];
    if (current !== null && typeof current === 'object') {
      mergeInto(current as Record<string, unknown>, v, key);
    } else if (typeof current === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new DetectorConfigError(key, 'must be a non-negative finite number');
      const problem = RANGES[key]?.(v);
      if (problem) throw new DetectorConfigError(key, problem);
      target[k] = v;
    } else {
      throw new DetectorConfigError(key, 'cannot be set');
    }
  }
}

const DAY_MS = 86_400_000;
const integerAtLeast = (min: number) => (v: number) => (Number.isSafeInteger(v) && v >= min ? null : `must be an integer >= ${min}`);
const milliseconds = integerAtLeast(0);
const share = (v: number) => (v <= 1 ? null : 'must be in [0, 1]');

/**
 * What each number must be beyond non-negative and finite, by dotted key. Every other number
 * (spans and durations of the scorer) is only that.
 */
const RANGES: Readonly<Record<string, (v: number) => string | null>> = {
  // The scorer's daily bookkeeping (training pool, 30-day spend) runs on window ends at midnight.
  'windows.windowMs': (v) => (Number.isSafeInteger(v) && v > 0 && DAY_MS % v === 0 ? null : 'must be a whole number of milliseconds that divides a day, e.g. 3600000'),
  'windows.latenessMs': milliseconds,
  'windows.idleGraceMs': milliseconds,
  'windows.maxClockSkewMs': milliseconds,
  'windows.accountRetentionMs': milliseconds,
  'scorer.seed': (v) => (Number.isSafeInteger(v) && v < 2 ** 32 ? null : 'must be an integer in [0, 2^32)'),
  'scorer.trees': integerAtLeast(1),
  'scorer.sampleSize': integerAtLeast(2),
  // Fewer than the 32 rows a model needs would never train.
  'scorer.trainingRowsPerDay': integerAtLeast(32),
  'scorer.alertBudget': (v) => (v > 0 && v < 1 ? null : 'must be in (0, 1)'),
  'scorer.minScore': share,
  'scorer.confirmation.windows': integerAtLeast(1),
  'scorer.confirmation.minRequests': integerAtLeast(0),
  // The contract gives every alert at least 3 reasons.
  'scorer.reasons': integerAtLeast(3),
  'scorer.linker.templateJaccard': share,
  'scorer.linker.maxTopicOverlap': share,
  'scorer.linker.minNetworkCompany': share,
  'scorer.linker.maxKeyFanout': integerAtLeast(2),
  'scorer.linker.minTemplateSketch': integerAtLeast(1),
  'scorer.linker.minNetworkWindows': integerAtLeast(1),
  'scorer.linker.maxPairFanout': integerAtLeast(2),
  'scorer.linker.networkSharedAccounts': integerAtLeast(2),
  'scorer.linker.suspectTtlMs': milliseconds,
  'scorer.linker.coArrivalMs': milliseconds,
  'scorer.linker.incumbencyMs': milliseconds,
  'scorer.linker.handoverSpanMs': milliseconds,
  'scorer.linker.maxHandoverGapMs': milliseconds,
  'scorer.linker.scheduleSpanHours': integerAtLeast(1),
  'scorer.linker.scheduleBlockHours': integerAtLeast(4),
  'scorer.linker.minScheduleHours': integerAtLeast(1),
  'scorer.linker.minScheduleSwitches': integerAtLeast(1),
  'scorer.linker.minScheduleJaccard': share,
  'scorer.linker.maxScheduleChance': share,
  'scorer.linker.maxShardTopics': integerAtLeast(1),
  'scorer.linker.minShardCompany': share,
  'scorer.linker.commonTemplateAccounts': integerAtLeast(2),
  'scorer.linker.templateMemoryMs': milliseconds,
  'scorer.linker.minChainHandovers': integerAtLeast(1),
  'scorer.linker.chainIncumbencyMs': milliseconds,
  // Scoring robust to common benign behaviour (issue 13 item 2).
  'scorer.unobservedBreadth': (v) => (v >= 0.5 && v <= 1 ? null : 'must be in [0.5, 1]'),
  'scorer.campaignStrongestMember': share,
  'scorer.weakCampaignMembers': integerAtLeast(1),
  'scorer.chainSparedFacets': integerAtLeast(0),
};
