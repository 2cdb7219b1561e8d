/**
 * From a closed account-window to its `AccountFeatures` record (schemas/account-features.avsc):
 * the account features of the registry (registry.ts), already transformed for the isolation
 * forest (log1p for heavy-tailed counts and sums, shares in [0, 1]), plus the lists the scorer and the
 * campaign linker need (topics, template sketch, payment fingerprints, network agents).
 *
 * `accountFeatures` is the accumulator the window assembler drives; `extractFeatures` is
 * called once per closed window, in the assembler's order, and records the window into the
 * account's profile. No prompt text leaves this module. Never reads a clock.
 */
import type { AccountFeatures } from '../schemas.generated.ts';
import type { WindowAccumulator } from '../windows/assembler.ts';
import { AccountProfile } from './accountProfile.ts';
import { AccountWindow } from './accountWindow.ts';
import { REGISTRY, type FeatureRegistry } from './registry.ts';
import type { SketchStore } from './sketchStore.ts';

/** Per-account profile and per-window summary, for the window assembler. */
export const accountFeatures: WindowAccumulator<AccountProfile, AccountWindow> = accountFeaturesIn(null);

/** The same, with every window's sketch words in `store` (the aggregator's; see sketchStore.ts). */
export function accountFeaturesIn(store: SketchStore | null): WindowAccumulator<AccountProfile, AccountWindow> {
  return {
    openAccount: (lab, accountId) => new AccountProfile(lab, accountId),
    openWindow: (_profile, windowStart, windowEnd) => new AccountWindow(windowStart, windowEnd, store),
    add: (window, event) => window.add(event),
  };
}

/**
 * The record of a closed window. Records the window into `profile` (30-day spend, hourly
 * activity, recent topics), so call it exactly once per window, windows of one account in
 * window order.
 */
export function extractFeatures(window: AccountWindow, profile: AccountProfile, registry: FeatureRegistry = REGISTRY): AccountFeatures {
  // Features read the account's history before this window: compute them, then record it.
  const features: Record<string, number> = {};
  for (const f of registry.account) {
    const value = f.compute(window, profile);
    if (!Number.isFinite(value)) throw new RangeError(`feature ${f.name} is ${value} for ${profile.lab}/${profile.accountId}`);
    features[f.name] = value;
  }
  profile.recordWindow(window);
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
