// A proxy/router reseller: an API router whose genuine end users send ordinary traffic (many
// topics, users' daily rhythm) through one account or a few, and which mixes a harvest stream
// into it (round the clock, a systematic sweep with elicited reasoning). Most of each account's
// requests are innocent; the harvest is a share of them. The accounts share the router's
// card, cloud egress and client.
import type { ActorSpec, RequestShape } from '../actor.ts';
import { pickLab, type BuildContext } from '../benign.ts';
import { openCampaign, type BuiltCampaign } from '../campaigns.ts';
import { accountId, apiKeys, CLOUD_PREFIXES, paymentFingerprint, pickCountry } from '../identity.ts';
import { casualPrompt, elicitationPrompt } from '../prompts.ts';
import { Random } from '../random.ts';
import { Interleaved, SteadyStream } from '../schedules.ts';
import { TOPIC_NAMES, TOPIC_POPULARITY, USER_AGENTS } from '../vocabulary.ts';

export function reseller(ctx: BuildContext, i: number): BuiltCampaign {
  const { id, rng, start } = openCampaign(ctx, 'reseller', i);
  const country = pickCountry(rng);
  const members = rng.int(1, 3);
  const network = rng.pick(CLOUD_PREFIXES);
  const agent = rng.pick(USER_AGENTS.server);
  const card = paymentFingerprint(ctx.seed, id + '/card');
  const salt = rng.int(0, 1_000_000);
  const harvestShare = rng.uniform(0.1, 0.4);
  const actors = Array.from({ length: members }, (_, k): ActorSpec => {
    const name = `${id}/acct${k}`;
    const r0 = Random.derive(ctx.seed, name);
    const lab = pickLab(r0);
    const usersPeak = r0.logNormal(120, 0.4);
    const schedule = new Interleaved([
      new SteadyStream({ peakPerHour: usersPeak, troughShare: r0.uniform(0.1, 0.3), utcOffset: country.utcOffset, peakHour: r0.uniform(12, 16), weekendFactor: 0.7 }),
      // About harvestShare of all requests: the users' mean rate is about 0.6 of their peak.
      new SteadyStream({ peakPerHour: (usersPeak * 0.6 * harvestShare) / (1 - harvestShare), troughShare: 0.9, utcOffset: 0, peakHour: 0, weekendFactor: 1 }),
    ]);
    let step = 0;
    const behaviour = (r: Random): RequestShape => {
      if (schedule.source === 1) {
        return {
          prompt: elicitationPrompt(step++ * members + k, salt),
          tier: 'reasoning',
          endpoint: 'chat',
          temperature: 0.8,
          max_tokens: r.pick([8192, 16384]),
          logprobs: r.chance(0.4) ? true : undefined,
          reasoning_effort: 'high',
          contextTokens: 0,
          outputMedian: 600,
        };
      }
      const reasoning = r.chance(0.1);
      return {
        prompt: casualPrompt(r, TOPIC_NAMES[r.weightedIndex(TOPIC_POPULARITY)]!),
        tier: reasoning ? 'reasoning' : r.chance(0.5) ? 'main' : 'mini',
        endpoint: 'chat',
        temperature: r.pick([undefined, 0.7, 1]),
        max_tokens: r.pick([undefined, 1024, 4096]),
        reasoning_effort: reasoning ? 'medium' : undefined,
        contextTokens: r.chance(0.4) ? r.logNormal(800, 1) : 0,
        outputMedian: 300,
      };
    };
    return {
      name, archetype: 'reseller', campaignId: id, entity: id,
      identity: {
        lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, r0.int(3, 12)), ipPrefixes: [network],
        userAgents: [agent], paymentFingerprint: card, country: country.code,
      },
      start, end: ctx.end, schedule, behaviour, rateLimitShare: 0.02,
    };
  });
  return { campaign: { campaign_id: id, archetype: 'reseller', start, link: members > 1 ? 'payment_fingerprint' : 'single_account' }, actors };
}
