/**
 * From a closed account-window to its `AccountFeatures` record (schemas/account-features.avsc):
 * the fixed list of behaviour features, already transformed for the isolation forest (log1p
 * for heavy-tailed counts and sums, shares in [0, 1]), plus the lists the scorer and the
 * campaign linker need (topics, template sketch, payment fingerprints, network agents).
 *
 * `accountFeatures` is the accumulator the window assembler drives; `extractFeatures` is
 * called once per closed window, in the assembler's order, and records the window into the
 * account's profile. No prompt text leaves this module. Never reads a clock.
 *
 * Naming rule the scorer relies on (detector/subjects.ts): a feature named `*_log` is log1p
 * of a quantity that adds up across accounts (peak_rpm_log and max_tokens_log excepted: the
 * scorer takes their maximum); every other feature is a share, ratio or level that averages.
 */
import type { AccountFeatures } from '../schemas.generated.ts';
import type { WindowAccumulator } from '../windows/assembler.ts';
import { AccountProfile } from './accountProfile.ts';
import { AccountWindow } from './accountWindow.ts';
import { COVERAGE_SWEEP_FEATURES, coverageSweepFeatures } from './coverageSweep.ts';
import { ELICITATION_FEATURES, elicitationFeatures } from './elicitation.ts';
import { IDENTITY_FEATURES, identityFeatures } from './identity.ts';
import { PROMPT_DIVERSITY_FEATURES, promptDiversityFeatures } from './promptDiversity.ts';
import { TIMING_FEATURES, timingFeatures } from './timing.ts';
import { VOLUME_FEATURES, volumeFeatures } from './volume.ts';

/** Every feature of a record, in the order they are written. Definitions: schemas/README.md. */
export const FEATURE_NAMES = Object.freeze([
  ...VOLUME_FEATURES,
  ...PROMPT_DIVERSITY_FEATURES,
  ...COVERAGE_SWEEP_FEATURES,
  ...ELICITATION_FEATURES,
  ...TIMING_FEATURES,
  ...IDENTITY_FEATURES,
] as const);
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Per-account profile and per-window summary, for the window assembler. */
export const accountFeatures: WindowAccumulator<AccountProfile, AccountWindow> = {
  openAccount: (lab, accountId) => new AccountProfile(lab, accountId),
  openWindow: (_profile, windowStart, windowEnd) => new AccountWindow(windowStart, windowEnd),
  add: (window, event) => window.add(event),
};

/**
 * The record of a closed window. Records the window into `profile` (30-day spend, hourly
 * activity, recent topics), so call it exactly once per window, windows of one account in
 * window order.
 */
export function extractFeatures(window: AccountWindow, profile: AccountProfile): AccountFeatures {
  // Coverage compares with the topics of earlier windows: before the profile learns this one.
  const coverage = coverageSweepFeatures(window, profile);
  profile.recordWindow(window);
  const byName: Record<FeatureName, number> = {
    ...volumeFeatures(window),
    ...promptDiversityFeatures(window),
    ...coverage,
    ...elicitationFeatures(window),
    ...timingFeatures(window, profile),
    ...identityFeatures(window),
  };
  const features: Record<string, number> = {};
  for (const name of FEATURE_NAMES) {
    const value = byName[name];
    if (!Number.isFinite(value)) throw new RangeError(`feature ${name} is ${value} for ${profile.lab}/${profile.accountId}`);
    features[name] = value;
  }
  return {
    lab: profile.lab,
    account_id: profile.accountId,
    window_start: window.windowStart,
    window_end: window.windowEnd,
    events: window.events,
    first_event_time: window.firstEventTime,
    last_event_time: window.lastEventTime,
    spend_usd_window: window.spend,
    spend_usd_30d: profile.spend30d(window.windowEnd),
    features,
    topics: window.topTopics(),
    template_sketch: window.templateSketch(),
    payment_fingerprints: window.listedPaymentFingerprints(),
    network_agents: window.listedNetworkAgents(),
  };
}
