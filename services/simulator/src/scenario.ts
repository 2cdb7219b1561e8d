// The named scenarios: how many actors of each archetype, over how many days, from a fixed
// simulated epoch (never the clock). `scale` multiplies the population, `days` stretches
// the run; campaign start times are placed as fractions of the run.
import type { ActorSpec } from './actor.ts';
import { codingAssistantUser, evalRunner, individual, multiLabCompany, researcher, saasApp, type BuildContext } from './benign.ts';
import { accountSwarm, coverageSweep, crossLabSplit, evalMimicry, slowAndLow, type BuiltCampaign, type CampaignSpec } from './campaigns.ts';
import { churn } from './campaigns/churn.ts';
import { evalRunnerMimicry } from './campaigns/evalRunnerMimicry.ts';
import { reseller } from './campaigns/reseller.ts';
import { topicSharded } from './campaigns/topicSharded.ts';
import { agentPlatform, cloudStartup, codingAgent } from './customers/developers.ts';
import { batchPipeline, contentStudio, enterpriseRag, supportBot, translationService, tutoringApp } from './customers/products.ts';
import { deepResearcher, labellingVendor, safetyEvalFirm } from './customers/research.ts';
import { Random } from './random.ts';

/** Monday 2026-03-02T00:00:00Z: every scenario starts here. */
export const SIMULATION_EPOCH = Date.UTC(2026, 2, 2);
const DAY = 86_400_000;

export interface ScenarioDefinition {
  name: string;
  description: string;
  days: number;
  individuals: number;
  saasApps: number;
  evalRunners: number;
  codingAssistantUsers: number;
  researchers: number;
  multiLabCompanies: number;
  coverageSweeps: number;
  crossLabSplits: number;
  accountSwarms: number;
  /** Accounts per swarm, [min, max]. */
  swarmSize: readonly [number, number];
  slowAndLow: number;
  evalMimicry: number;
  /** The wider customer base and campaign kinds; absent in the original scenarios, whose output must not change. */
  wide?: WidePopulation;
}

/** How many of each kind of the wide scenarios (src/customers/, src/campaigns/). */
export interface WidePopulation {
  codingAgents: number;
  deepResearchers: number;
  safetyEvalFirms: number;
  enterpriseRag: number;
  translationServices: number;
  batchPipelines: number;
  tutoringApps: number;
  supportBots: number;
  contentStudios: number;
  agentPlatforms: number;
  labellingVendors: number;
  cloudStartups: number;
  churn: number;
  topicSharded: number;
  resellers: number;
  evalRunnerMimicry: number;
}

/**
 * The wide kinds' counts as a table, one row a kind, one column a scenario (`wide`, `wide-small`),
 * so the two scenarios read side by side.
 */
const WIDE_COUNTS: Record<keyof WidePopulation, readonly [wide: number, wideSmall: number]> = {
  codingAgents: [150, 15], deepResearchers: [140, 15], safetyEvalFirms: [6, 2], enterpriseRag: [30, 4],
  translationServices: [20, 3], batchPipelines: [12, 2], tutoringApps: [20, 3], supportBots: [25, 3],
  contentStudios: [30, 4], agentPlatforms: [10, 2], labellingVendors: [8, 2], cloudStartups: [330, 40],
  churn: [3, 2], topicSharded: [3, 2], resellers: [3, 2], evalRunnerMimicry: [2, 2],
};

/** One column of `WIDE_COUNTS`. */
function widePopulation(column: 0 | 1): WidePopulation {
  const entries = Object.entries(WIDE_COUNTS) as [keyof WidePopulation, readonly [number, number]][];
  return Object.fromEntries(entries.map(([kind, counts]) => [kind, counts[column]])) as unknown as WidePopulation;
}

const WIDE: ScenarioDefinition = {
  name: 'wide',
  description: '7 days, 3 labs, ~3,700 accounts of 18 benign kinds, ~2 million events, 21 campaigns of 9 kinds',
  days: 7, wide: widePopulation(0),
  individuals: 2300, saasApps: 5, evalRunners: 10, codingAssistantUsers: 300, researchers: 110, multiLabCompanies: 16,
  coverageSweeps: 2, crossLabSplits: 2, accountSwarms: 2, swarmSize: [10, 24], slowAndLow: 2, evalMimicry: 2,
};

const DEFAULT: ScenarioDefinition = {
  name: 'default',
  description: '7 days, 3 labs, ~1,270 accounts, ~1.4 million events, 24 campaigns (4-5 of each archetype)',
  days: 7,
  individuals: 800, saasApps: 9, evalRunners: 14, codingAssistantUsers: 200, researchers: 60, multiLabCompanies: 20,
  coverageSweeps: 5, crossLabSplits: 5, accountSwarms: 4, swarmSize: [12, 30], slowAndLow: 5, evalMimicry: 5,
};

export const SCENARIOS: readonly ScenarioDefinition[] = [
  DEFAULT,
  {
    name: 'small',
    description: '1 day, 3 labs, ~200 accounts, ~60,000 events, 10 campaigns (2 of each archetype): for tests',
    days: 1,
    individuals: 110, saasApps: 2, evalRunners: 3, codingAssistantUsers: 30, researchers: 10, multiLabCompanies: 5,
    coverageSweeps: 2, crossLabSplits: 2, accountSwarms: 2, swarmSize: [6, 10], slowAndLow: 2, evalMimicry: 2,
  },
  {
    ...DEFAULT,
    name: 'large',
    description: '14 days, 3 labs, ~3,800 accounts, ~8.4 million events, 72 campaigns: for benchmarks',
    days: 14,
    individuals: 2400, saasApps: 27, evalRunners: 42, codingAssistantUsers: 600, researchers: 180, multiLabCompanies: 60,
    coverageSweeps: 15, crossLabSplits: 15, accountSwarms: 12, slowAndLow: 15, evalMimicry: 15,
  },
  WIDE,
  {
    name: 'wide-small',
    description: '2 days, 3 labs, ~400 accounts of 18 benign kinds, 13 campaigns of 9 kinds: for tests',
    days: 2, wide: widePopulation(1),
    individuals: 180, saasApps: 2, evalRunners: 3, codingAssistantUsers: 30, researchers: 12, multiLabCompanies: 4,
    coverageSweeps: 1, crossLabSplits: 1, accountSwarms: 1, swarmSize: [6, 10], slowAndLow: 1, evalMimicry: 1,
  },
];

export function scenarioByName(name: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

export interface ScenarioOptions {
  seed: number;
  /** Overrides the scenario's length in days. */
  days?: number;
  /** Multiplies every population count (campaign counts stay at least 1). */
  scale?: number;
}

export interface Population {
  scenario: string;
  seed: number;
  start: number;
  end: number;
  /** Actors in a seeded shuffled order, so position reveals nothing about archetype. */
  actors: ActorSpec[];
  campaigns: CampaignSpec[];
}

export function buildPopulation(def: ScenarioDefinition, options: ScenarioOptions): Population {
  const days = options.days ?? def.days;
  const ctx: BuildContext = { seed: options.seed, start: SIMULATION_EPOCH, end: SIMULATION_EPOCH + Math.round(days * DAY) };
  const cast = new Cast(ctx, options.scale ?? 1);
  // The order of the kinds is part of the output: each actor's ids and draws follow from it.
  castOriginalKinds(cast, def, options.seed);
  if (def.wide !== undefined) castWideKinds(cast, def.wide);
  requireUniqueAccounts(cast.actors);
  shuffle(cast.actors, Random.derive(options.seed, 'actor-order'));
  return { scenario: def.name, seed: options.seed, start: ctx.start, end: ctx.end, actors: cast.actors, campaigns: cast.campaigns };
}

/** Collects the actors and campaigns of a scenario, kind by kind, `scale` times the counts. */
class Cast {
  readonly actors: ActorSpec[] = [];
  readonly campaigns: CampaignSpec[] = [];
  readonly #ctx: BuildContext;
  readonly #scale: number;

  constructor(ctx: BuildContext, scale: number) {
    this.#ctx = ctx;
    this.#scale = scale;
  }

  benign(n: number, make: (c: BuildContext, i: number) => ActorSpec[]): void {
    for (let i = 0; i < this.#count(n, false); i++) this.actors.push(...make(this.#ctx, i));
  }

  campaign(n: number, make: (c: BuildContext, i: number) => BuiltCampaign): void {
    for (let i = 0; i < this.#count(n, true); i++) {
      const built = make(this.#ctx, i);
      this.campaigns.push(built.campaign);
      this.actors.push(...built.actors);
    }
  }

  /** A kind the scenario has keeps at least one campaign at any scale; benign kinds may vanish. */
  #count(n: number, atLeastOne: boolean): number {
    return n === 0 ? 0 : Math.max(atLeastOne ? 1 : 0, Math.round(n * this.#scale));
  }
}

function castOriginalKinds(cast: Cast, def: ScenarioDefinition, seed: number): void {
  cast.benign(def.individuals, individual);
  cast.benign(def.saasApps, saasApp);
  cast.benign(def.evalRunners, evalRunner);
  cast.benign(def.codingAssistantUsers, codingAssistantUser);
  cast.benign(def.researchers, researcher);
  cast.benign(def.multiLabCompanies, multiLabCompany);
  cast.campaign(def.coverageSweeps, coverageSweep);
  cast.campaign(def.crossLabSplits, crossLabSplit);
  const swarmRng = Random.derive(seed, 'swarm-sizes');
  cast.campaign(def.accountSwarms, (c, i) => accountSwarm(c, i, swarmRng.int(def.swarmSize[0], def.swarmSize[1])));
  cast.campaign(def.slowAndLow, slowAndLow);
  cast.campaign(def.evalMimicry, evalMimicry);
}

function castWideKinds(cast: Cast, w: WidePopulation): void {
  cast.benign(w.codingAgents, codingAgent);
  cast.benign(w.deepResearchers, deepResearcher);
  cast.benign(w.safetyEvalFirms, safetyEvalFirm);
  cast.benign(w.enterpriseRag, enterpriseRag);
  cast.benign(w.translationServices, translationService);
  cast.benign(w.batchPipelines, batchPipeline);
  cast.benign(w.tutoringApps, tutoringApp);
  cast.benign(w.supportBots, supportBot);
  cast.benign(w.contentStudios, contentStudio);
  cast.benign(w.agentPlatforms, agentPlatform);
  cast.benign(w.labellingVendors, labellingVendor);
  cast.benign(w.cloudStartups, cloudStartup);
  cast.campaign(w.churn, churn);
  cast.campaign(w.topicSharded, topicSharded);
  cast.campaign(w.resellers, reseller);
  cast.campaign(w.evalRunnerMimicry, evalRunnerMimicry);
}

function requireUniqueAccounts(actors: readonly ActorSpec[]): void {
  const seen = new Set<string>();
  for (const a of actors) {
    const key = `${a.identity.lab}/${a.identity.account_id}`;
    if (seen.has(key)) throw new Error(`account id collision for ${a.name}: ${key}`);
    seen.add(key);
  }
}

/** Fisher–Yates with the scenario's seeded stream, so position reveals nothing about archetype. */
function shuffle(actors: ActorSpec[], rng: Random): void {
  for (let i = actors.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [actors[i], actors[j]] = [actors[j]!, actors[i]!];
  }
}
