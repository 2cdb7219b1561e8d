// What of a usage log must never cross to the forum, for the federation's privacy scans (the
// offline twin's --forum-out in detectFederated.test.ts, the forum cluster's records topics in
// federationStream.ts): every raw identifier of the input (account, key, payment fingerprint,
// network prefix, user agent, network prefix + agent, event id, system prompt hash, per-prompt
// SimHash, given or computed from the text, the lab's topic label, country, model) and every
// word of every prompt.
import { promptSimHashParts, simHashToHex, type UsageEvent } from '@distillwatch/core';

export interface InputSecrets {
  identifiers: Set<string>;
  words: Set<string>;
}

export function inputSecrets(events: Iterable<UsageEvent>): InputSecrets {
  const identifiers = new Set<string>();
  const words = new Set<string>();
  for (const e of events) {
    for (const v of [e.account_id, e.api_key_id, e.payment_fingerprint, e.ip_prefix, e.user_agent, e.event_id,
      e.system_prompt_hash, e.prompt_simhash, e.topic, e.country, e.model]) if (v) identifiers.add(v);
    if (e.ip_prefix && e.user_agent) identifiers.add(`${e.ip_prefix}|${e.user_agent}`);
    if (e.prompt_text) {
      identifiers.add(simHashToHex(promptSimHashParts(e.prompt_text)));
      for (const w of e.prompt_text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) words.add(w);
    }
  }
  return { identifiers, words };
}

/**
 * The strings among `strings` that carry an input value: one that is an identifier or a prompt
 * word, or holds a prompt word of 5 letters or more between `-` or `_` (tokens are base64url: a
 * word inside one would have been copied).
 */
export function leakedInputValues(strings: Iterable<string>, secrets: InputSecrets): string[] {
  const leaked: string[] = [];
  for (const s of strings) {
    if (secrets.identifiers.has(s) || secrets.words.has(s) || s.split(/[-_]/).some((chunk) => chunk.length >= 5 && secrets.words.has(chunk))) leaked.push(s);
  }
  return leaked;
}

/** Every string value in a JSON value, at any depth (not the keys: those are the wire format's field names). */
export function jsonStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(jsonStrings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(jsonStrings);
  return [];
}
