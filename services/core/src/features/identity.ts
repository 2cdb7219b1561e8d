/**
 * Identity features: how many keys, networks, clients and cards one account uses in a window.
 * One customer normally has a key or two, a few networks and one card; a campaign that
 * rotates keys and proxies to stay under per-key limits shows many. The lists that link
 * accounts to each other (payment fingerprints, 'ip_prefix|user_agent' pairs) go into the
 * record itself for the campaign linker. Counts are near-exact to a few dozen (linear counting)
 * and log1p-scaled. Pure function of the window.
 */
import type { AccountWindow } from './accountWindow.ts';

export const IDENTITY_FEATURES = ['api_keys_log', 'network_prefixes_log', 'user_agents_log', 'payment_methods_log'] as const;
export type IdentityFeature = (typeof IDENTITY_FEATURES)[number];

export function identityFeatures(w: AccountWindow): Record<IdentityFeature, number> {
  return {
    api_keys_log: Math.log1p(w.distinctApiKeys()),
    network_prefixes_log: Math.log1p(w.distinctNetworkPrefixes()),
    user_agents_log: Math.log1p(w.distinctUserAgents()),
    payment_methods_log: Math.log1p(w.distinctPaymentMethods()),
  };
}
