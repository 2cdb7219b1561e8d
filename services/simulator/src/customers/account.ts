// The one place a wide-scenario customer account is dressed: its own lab (or one it was
// given), id, keys, payment card, networks, agent and country. Every kind in src/customers/
// builds its accounts here so that all of them draw identity the same way; no behaviour here.
import type { ActorSpec, Behaviour, BenignArchetype } from '../actor.ts';
import { pickLab, type BuildContext } from '../benign.ts';
import { accountId, apiKeys, paymentFingerprint, pickCountry } from '../identity.ts';
import { Random } from '../random.ts';
import type { Schedule } from '../schedules.ts';

export interface CustomerDress {
  lab?: string;
  keys: number;
  ipPrefixes: readonly string[];
  userAgents: readonly string[];
  /** The card's owner (shared by a company's accounts); defaults to the account's name. */
  cardOwner?: string;
  /** The real-world owner; defaults to the account's name. */
  entity?: string;
}

/** A customer's draws: its Random (parameters come from it) and its country's clock. */
export function customerDraws(ctx: BuildContext, name: string): { rng: Random; country: { code: string; utcOffset: number } } {
  const rng = Random.derive(ctx.seed, name);
  return { rng, country: pickCountry(rng) };
}

export function customerAccount(
  ctx: BuildContext, name: string, archetype: BenignArchetype, rng: Random, country: { code: string },
  dress: CustomerDress, schedule: Schedule, behaviour: Behaviour, rateLimitShare: number,
): ActorSpec {
  const lab = dress.lab ?? pickLab(rng);
  return {
    name, archetype, campaignId: null, entity: dress.entity ?? name,
    identity: {
      lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, dress.keys),
      ipPrefixes: dress.ipPrefixes, userAgents: dress.userAgents,
      paymentFingerprint: paymentFingerprint(ctx.seed, dress.cardOwner ?? name), country: country.code,
    },
    start: ctx.start, end: ctx.end, schedule, behaviour, rateLimitShare,
  };
}
