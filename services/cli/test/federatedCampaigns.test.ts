// Federated detection against central detection on the same simulated traffic (the small
// scenario, in process): the forum finds every cross-lab campaign that central detection finds,
// and each lab involved sees it as ONE campaign, under the same campaign id as the other labs.
// The default scenario's figures (README "Federation") come from the CLI and `evaluate`.
import { describe, expect, it } from 'vitest';
import {
  Detector, Federation, FEATURE_NAMES, parseDetectorConfig, parseUsageEventLine, testFederationKeys,
  type DistillationAlert, type LabAlert,
} from '@distillwatch/core';
import { buildPopulation, labelsOf, scenarioByName, Simulation } from '@distillwatch/simulator';

describe('federated detection of cross-lab campaigns (small scenario, seed 7)', () => {
  const simulation = new Simulation(buildPopulation(scenarioByName('small')!, { seed: 7 }));
  const config = parseDetectorConfig({});
  const central = new Detector(config);
  const federation = new Federation(config, FEATURE_NAMES, testFederationKeys());
  const centralAlerts: DistillationAlert[] = [];
  const feeds: LabAlert[] = [];
  let line = 0;
  for (const event of simulation.events()) {
    const parsed = parseUsageEventLine(JSON.stringify(event), ++line);
    if (parsed.kind !== 'event') continue;
    const step = central.pushEvent(parsed.event);
    if (Array.isArray(step)) centralAlerts.push(...step);
    feeds.push(...federation.pushEvent(parsed.event).alerts);
  }
  centralAlerts.push(...central.flush());
  feeds.push(...federation.flush());
  const labels = labelsOf(simulation, null);
  const crossLab = labels.campaigns.filter((c) => c.archetype === 'cross_lab_split' && c.labs.length > 1);
  const key = (a: { lab: string; account_id: string }) => `${a.lab}/${a.account_id}`;

  const caughtCentrally = crossLab.filter((c) => centralAlerts.some((a) => a.accounts.some((x) => c.accounts.some((m) => key(m) === key(x)))));

  it('has a cross-lab campaign that central detection catches', () => {
    expect(caughtCentrally.length).toBeGreaterThanOrEqual(1);
  });

  it('shows each cross-lab campaign that central detection catches to every lab involved as one campaign with one id', () => {
    for (const campaign of caughtCentrally) {
      const members = new Set(campaign.accounts.map(key));
      const ids = new Set<string>();
      for (const lab of campaign.labs) {
        const seen = feeds.filter((a) => a.recipient_lab === lab && a.subject_kind === 'campaign' && a.source === 'forum' &&
          a.accounts.some((x) => members.has(key(x))));
        expect(seen.length, `${campaign.campaign_id} at ${lab}`).toBeGreaterThan(0);
        for (const a of seen) {
          ids.add(a.subject_id);
          expect(a.accounts.every((x) => members.has(key(x)))).toBe(true);
          expect(a.linked_accounts.length).toBe(campaign.accounts.filter((m) => m.lab !== lab).length);
          expect(a.kyc_tier).not.toBe('consumer');
        }
      }
      expect([...ids], campaign.campaign_id).toHaveLength(1);
    }
  });
}, 180_000);
