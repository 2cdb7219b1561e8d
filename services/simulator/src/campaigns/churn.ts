// Churn: one operator's sweep carried by a succession of throwaway accounts. Each account is
// used for a few hours, then vanishes and a new one appears, with its own card, residential
// proxy, client and country: members share no identity at all. What ties them is behaviour:
// the same templates and phrasing, one continuing sweep (complementary coverage), and each
// account appearing as the previous one vanishes.
import type { ActorSpec, RequestShape } from '../actor.ts';
import { pickLab, type BuildContext } from '../benign.ts';
import { openCampaign, type BuiltCampaign } from '../campaigns.ts';
import { accountId, apiKeys, paymentFingerprint, pickCountry, privatePrefix } from '../identity.ts';
import { campaignTemplatePrompt, campaignTemplates } from '../prompts.ts';
import { Random } from '../random.ts';
import { SteadyStream } from '../schedules.ts';
import { USER_AGENTS } from '../vocabulary.ts';

const HOUR = 3_600_000;

export function churn(ctx: BuildContext, i: number): BuiltCampaign {
  const { id, rng, start } = openCampaign(ctx, 'churn', i);
  const templates = campaignTemplates(rng);
  const salt = rng.int(0, 1_000_000);
  const oneLab = rng.chance(0.7) ? pickLab(rng) : null;
  const peak = rng.uniform(60, 200);
  const reasoning = rng.chance(0.6);
  const actors: ActorSpec[] = [];
  // Each account continues the sweep where its predecessor stopped (planned from its lifetime),
  // so the members' coverage is complementary.
  let from = start;
  let offset = 0;
  for (let k = 0; from < ctx.end; k++) {
    const name = `${id}/acct${k}`;
    const r0 = Random.derive(ctx.seed, name);
    const lifetime = r0.uniform(3, 10) * HOUR;
    const lab = oneLab ?? pickLab(r0);
    const country = pickCountry(r0);
    const first = offset;
    let step = 0;
    const behaviour = (r: Random): RequestShape => ({
      prompt: campaignTemplatePrompt(templates, first + step++, salt),
      tier: reasoning ? 'reasoning' : 'main',
      endpoint: 'chat',
      temperature: r.pick([0.7, 0.8, 1]),
      max_tokens: r.pick([4096, 8192]),
      logprobs: r.chance(0.3) ? true : undefined,
      reasoning_effort: reasoning ? 'high' : undefined,
      contextTokens: 0,
      outputMedian: 600,
    });
    actors.push({
      name, archetype: 'churn', campaignId: id, entity: id,
      identity: {
        lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, 1),
        ipPrefixes: [privatePrefix(ctx.seed, name + '/residential-proxy')],
        userAgents: [r0.pick([...USER_AGENTS.sdkPython, ...USER_AGENTS.sdkNode])],
        paymentFingerprint: paymentFingerprint(ctx.seed, name + '/card'), country: country.code,
      },
      start: from, end: Math.min(ctx.end, from + lifetime),
      schedule: new SteadyStream({ peakPerHour: peak * r0.uniform(0.8, 1.2), troughShare: 0.8, utcOffset: country.utcOffset, peakHour: 12, weekendFactor: 1 }),
      behaviour,
      rateLimitShare: 0.02,
    });
    offset += Math.ceil((peak * 1.2 * lifetime) / HOUR);
    // The replacement appears within minutes of the previous account's last request.
    from += lifetime + r0.uniform(1, 20) * 60_000;
  }
  return { campaign: { campaign_id: id, archetype: 'churn', start, link: 'behaviour' }, actors };
}
