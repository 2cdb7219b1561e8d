// Eval-runner mimicry, the patient kind: runs on an eval runner's cadence (once or twice a
// day, machine-paced bursts), from an eval client on cloud egress, at temperature 0 with
// logprobs, and replays a real benchmark for part of every run. The rest of each run is fresh
// items that never repeat, span every topic and ask for the full reasoning. Unlike
// `eval_mimicry` (bursts every 5-10 h, nothing replayed), its rhythm and replays are genuine.
import type { ActorSpec, RequestShape } from '../actor.ts';
import type { BuildContext } from '../benign.ts';
import { evalRunnerDress, type BuiltCampaign } from '../campaigns.ts';
import { accountId, apiKeys } from '../identity.ts';
import { benchmarkItem, mimicryItem } from '../prompts.ts';
import { Random } from '../random.ts';
import { Bursts } from '../schedules.ts';
import { TOPIC_NAMES } from '../vocabulary.ts';

const HOUR = 3_600_000;

export function evalRunnerMimicry(ctx: BuildContext, i: number): BuiltCampaign {
  const { id, rng, start, lab, country, members, agent, network, card, salt } = evalRunnerDress(ctx, 'eval_runner_mimicry', i);
  const benchmark = { name: `${id}/cover-benchmark`, size: rng.int(300, 1500), topics: rng.sample(TOPIC_NAMES, rng.int(10, 20)) };
  const replayShare = rng.uniform(0.3, 0.6);
  const actors = Array.from({ length: members }, (_, k): ActorSpec => {
    const name = `${id}/acct${k}`;
    const r0 = Random.derive(ctx.seed, name);
    const tier = r0.chance(0.5) ? 'reasoning' as const : 'main' as const;
    const runs = new Bursts({
      everyHours: r0.pick([12, 24]), jitterHours: r0.uniform(0.2, 2), perSecond: r0.uniform(2, 6),
      firstAt: start + r0.uniform(0, 3) * HOUR, runSize: (_run, r) => r.logNormal(1200, 0.3),
    });
    let step = 0;
    const behaviour = (r: Random): RequestShape => {
      const replay = r.chance(replayShare);
      return {
        prompt: replay ? benchmarkItem(benchmark.name, runs.position % benchmark.size, benchmark.topics) : mimicryItem(step++ * members + k, salt),
        tier,
        reasoning_effort: tier === 'reasoning' && !replay ? 'high' : undefined,
        endpoint: r.chance(0.2) ? 'completions' : 'chat',
        temperature: 0,
        max_tokens: replay ? 5 : 4096,
        logprobs: true,
        top_logprobs: 5,
        contextTokens: replay ? r.int(0, 40) : 0,
        outputMedian: replay ? 2 : 600,
      };
    };
    return {
      name, archetype: 'eval_runner_mimicry', campaignId: id, entity: id,
      identity: {
        lab, account_id: accountId(ctx.seed, lab, name), apiKeys: apiKeys(ctx.seed, name, 1), ipPrefixes: [network],
        userAgents: [agent], paymentFingerprint: card, country: country.code,
      },
      start, end: ctx.end, schedule: runs, behaviour, rateLimitShare: 0.02,
    };
  });
  return { campaign: { campaign_id: id, archetype: 'eval_runner_mimicry', start, link: members > 1 ? 'payment_fingerprint' : 'single_account' }, actors };
}
