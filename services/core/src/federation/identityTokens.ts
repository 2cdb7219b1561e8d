// Identity tokens: the identifiers that link accounts across labs, normalised and keyed under
// the forum key. Which identifiers link (the campaign linker's evidence):
//   - payment: the lab's payment fingerprint (itself a keyed hash that labs sharing a key agree
//     on) — the same card at two labs is the strongest cross-lab link;
//   - network: client network prefix together with the user agent (the linker needs both: a
//     prefix alone is a cloud NAT shared by strangers).
// API key ids are left out: they are issued per lab, so they never link across labs and would
// only hand the forum a stable per-key handle. During a rotation every identifier is sent under
// the current and the previous key, so a lab that has not switched yet still matches one that
// has, and the linker's counts kept under the old token carry on (README "Threat model").
// Pure; never returns a raw identifier.
import type { ForumKeyRing } from './keys.ts';
import { keyedToken } from './tokens.ts';

/** Lower-case, trimmed, inner whitespace collapsed: labs log the same identifier differently. */
export function normaliseIdentifier(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/** A `ip_prefix|user_agent` pair (as in AccountFeatures.network_agents), each half normalised. */
export function normaliseNetworkAgent(pair: string): string {
  const bar = pair.indexOf('|');
  if (bar < 0) return normaliseIdentifier(pair);
  return `${normaliseIdentifier(pair.slice(0, bar))}|${normaliseIdentifier(pair.slice(bar + 1))}`;
}

/** Tokens of identifiers under every forum key in force, distinct and sorted. */
export function identityTokens(ring: ForumKeyRing, kind: 'payment' | 'network', identifiers: readonly string[]): string[] {
  const keys = ring.previous ? [ring.current, ring.previous] : [ring.current];
  const normalise = kind === 'network' ? normaliseNetworkAgent : normaliseIdentifier;
  const out = new Set<string>();
  for (const id of identifiers) {
    const value = normalise(id);
    for (const key of keys) out.add(keyedToken(key, kind, value));
  }
  return [...out].sort();
}

/**
 * A template sketch under the forum key: each template fingerprint keyed (five words of a
 * prompt's frame are guessable, so they must not cross bare) and the tokens re-sorted, so the
 * result is again an ascending bottom-k list for the linker's Jaccard estimate. Keyed with the
 * oldest key in force: during a rotation's overlap every lab holds it.
 */
export function templateTokens(ring: ForumKeyRing, sketch: readonly string[]): string[] {
  const key = ring.previous ?? ring.current;
  return [...new Set(sketch.map((h) => keyedToken(key, 'template', h)))].sort();
}
