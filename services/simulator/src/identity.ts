// How simulated accounts are named and dressed: opaque account ids, API keys, payment
// fingerprints (one per payment instrument, identical across labs because the labs share the
// keyed hash), network prefixes and countries. Everything derives from the scenario seed.
import { hexId, type Random } from './random.ts';
import { COUNTRIES } from './vocabulary.ts';


export function accountId(seed: number, lab: string, name: string): string {
  return 'acct_' + hexId(`${seed}/${lab}/${name}/account`, 12);
}

export function apiKeys(seed: number, name: string, count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) keys.push('key_' + hexId(`${seed}/${name}/key${i}`, 14));
  return keys;
}

/** The fingerprint of one payment instrument, named by whoever owns it. */
export function paymentFingerprint(seed: number, instrument: string): string {
  return 'pf_' + hexId(`${seed}/card/${instrument}`, 16);
}

/** A made-up private /24 for a home, office or server network. */
export function privatePrefix(seed: number, network: string): string {
  const a = parseInt(hexId(`${seed}/net/${network}`, 4), 16);
  return `10.${(a >> 8) & 255}.${a & 255}.0/24`;
}

/**
 * Egress ranges of big cloud providers, shared by many unrelated server-side clients (so a
 * shared prefix alone links nobody). Documentation ranges stand in for them.
 */
export const CLOUD_PREFIXES = ['198.51.100.0/24', '203.0.113.0/24', '192.0.2.0/24'] as const;

export function pickCountry(rng: Random): { code: string; utcOffset: number } {
  const c = COUNTRIES[rng.weightedIndex(COUNTRIES.map((x) => x.weight))]!;
  return { code: c.code, utcOffset: c.utcOffset };
}
