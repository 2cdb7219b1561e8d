/**
 * Short forms for declaring a feature, so that a module of `catalog/` is its declaration and
 * little else. Most account features are one of two kinds: a mean over the window's requests
 * (a share of the requests that do something, say), which a campaign averages; or log1p of a
 * quantity that adds up, which a campaign sums. Anything else is an `accountFeature` with
 * every choice spelled out. A feature with no facet must say who reads it (`usedBy`); the
 * registry checks that at start.
 *
 * This module only builds declarations (feature.ts says what they mean): it must never name a
 * feature or hold one.
 */
import type { AccountFeature, CombineMode, FacetName, FacetRole, FeatureDoc, FeatureUse } from './feature.ts';
import type { AccountProfile } from './accountProfile.ts';
import type { AccountWindow } from './accountWindow.ts';
import { share } from './measures.ts';

/** The facet whose forest sees a feature, and the side of the population that is suspicious. */
export function facet(name: FacetName, suspicious: FacetRole['suspicious'] = 'high'): FacetRole {
  return { facet: name, suspicious };
}

/** Where a feature counts: a facet, or none (`role` null) and then who reads it. */
export interface Readers {
  role?: FacetRole | null;
  usedBy?: readonly FeatureUse[];
}

/** An account feature; `role` defaults to no facet and `usedBy` to no reader. */
export function accountFeature(
  name: string,
  d: Readers & { combine: CombineMode; doc: FeatureDoc; shrinkWithFewRequests?: true; compute: AccountFeature['compute'] },
): AccountFeature {
  const { role = null, usedBy = [], ...rest } = d;
  return { kind: 'account', name, role, usedBy, ...rest };
}

/**
 * The mean of `total` over the window's requests (over the requests `among` counts, if given);
 * a share when `total` counts requests, which is the default scale. A campaign takes the mean
 * weighted by events.
 */
export function perRequest(
  name: string,
  definition: string,
  total: (w: AccountWindow) => number,
  d: Readers & { scale?: 'share' | 'raw'; shrinkWithFewRequests?: true; among?: (w: AccountWindow) => number } = {},
): AccountFeature {
  const { scale = 'share', among = (w: AccountWindow) => w.events, ...rest } = d;
  return accountFeature(name, { ...rest, combine: 'mean', doc: { definition, scale }, compute: (w) => share(total(w), among(w)) });
}

/** log1p of a quantity of the window that adds up over accounts: a campaign sums the quantity. */
export function quantityLog(
  name: string,
  definition: string,
  quantity: (w: AccountWindow, profile: AccountProfile) => number,
  readers: Readers,
): AccountFeature {
  return accountFeature(name, { ...readers, combine: 'sum', doc: { definition, scale: 'log1p' }, compute: (w, p) => Math.log1p(quantity(w, p)) });
}
