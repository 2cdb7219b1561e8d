// Public surface of @distillwatch/simulator: build a scenario's population, run it as a
// stream of usage events, and label it.
export { SCENARIOS, SIMULATION_EPOCH, scenarioByName, buildPopulation } from './scenario.ts';
export type { ScenarioDefinition, ScenarioOptions, Population, WidePopulation } from './scenario.ts';
export { Simulation, DELIVERY_NOISE, ALLOWED_LATENESS_MS } from './simulation.ts';
export type { DeliveryTally, AccountTally } from './simulation.ts';
export { labelsOf, LABELS_FORMAT } from './labels.ts';
export type { Labels, AccountLabel, CampaignLabel } from './labels.ts';
export { BENIGN_ARCHETYPES, CAMPAIGN_ARCHETYPES, WIDE_BENIGN_ARCHETYPES, WIDE_CAMPAIGN_ARCHETYPES } from './actor.ts';
export type { Archetype, BenignArchetype, CampaignArchetype, SimulatedEvent } from './actor.ts';
export type { CampaignLink } from './campaigns.ts';
export { Random } from './random.ts';
