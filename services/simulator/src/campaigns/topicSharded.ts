// Topic-sharded across labs: one operator covers the taxonomy by giving each lab a narrow,
// researcher-like slice (two to four fields, walked term by term under fixed angles, with
// reasoning models). No lab sees breadth; the slices are complementary. Members share no
// identity; they share their operator's scheduler (the same daily rhythm) and phrasing.
import type { ActorSpec, RequestShape } from '../actor.ts';
import type { BuildContext } from '../benign.ts';
import { openCampaign, type BuiltCampaign } from '../campaigns.ts';
import { fieldStudyPrompt } from '../customers/prompts.ts';
import { accountId, apiKeys, paymentFingerprint, pickCountry, privatePrefix } from '../identity.ts';
import { LAB_NAMES } from '../prices.ts';
import { Random } from '../random.ts';
import { SteadyStream } from '../schedules.ts';
import { TOPIC_NAMES, USER_AGENTS } from '../vocabulary.ts';

const HOUR = 3_600_000;

export function topicSharded(ctx: BuildContext, i: number): BuiltCampaign {
  const { id, rng, start } = openCampaign(ctx, 'topic_sharded', i);
  const labs = rng.sample(LAB_NAMES, rng.int(2, 3));
  if (rng.chance(0.3)) labs.push(labs[0]!);
  const fields = rng.sample(TOPIC_NAMES, TOPIC_NAMES.length);
  const operatorClock = pickCountry(rng).utcOffset;
  const peak = rng.uniform(25, 60);
  const samples = rng.chance(0.5) ? rng.int(2, 4) : undefined;
  let next = 0;
  const actors = labs.map((lab, k): ActorSpec => {
    const name = `${id}/acct${k}`;
    const r0 = Random.derive(ctx.seed, name);
    // Disjoint slices of one shuffled taxonomy: complementary coverage.
    const slice = fields.slice(next, next + r0.int(2, 4));
    next += slice.length;
    let step = 0;
    const behaviour = (r: Random): RequestShape => {
      const prompt = fieldStudyPrompt(slice[step % slice.length]!, Math.floor(step / slice.length));
      step++;
      return {
        prompt,
        tier: 'reasoning',
        endpoint: r.chance(0.5) ? 'responses' : 'chat',
        temperature: r.pick([0.7, 1]),
        max_tokens: r.pick([16384, 32768]),
        n: samples,
        logprobs: r.chance(0.4) ? true : undefined,
        reasoning_effort: r.chance(0.7) ? 'high' : 'medium',
        contextTokens: r.logNormal(300, 0.5),
        outputMedian: 800,
      };
    };
    const country = pickCountry(r0);
    return {
      name, archetype: 'topic_sharded', campaignId: id, entity: id,
      identity: {
        lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, 1),
        ipPrefixes: [privatePrefix(ctx.seed, name + '/net')], userAgents: [r0.pick(USER_AGENTS.sdkPython)],
        paymentFingerprint: paymentFingerprint(ctx.seed, name + '/card'), country: country.code,
      },
      start: start + r0.uniform(0, 2) * HOUR, end: ctx.end,
      schedule: new SteadyStream({ peakPerHour: peak, troughShare: 0.25, utcOffset: operatorClock, peakHour: 14, weekendFactor: 1 }),
      behaviour,
      rateLimitShare: 0.01,
    };
  });
  return { campaign: { campaign_id: id, archetype: 'topic_sharded', start, link: 'behaviour' }, actors };
}
