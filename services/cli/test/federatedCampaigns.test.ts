// Federated detection against central detection on the same traffic (the committed small
// fixture, in process): every campaign that central detection alerts on across labs reaches
// each lab involved as ONE campaign, with the same id at every lab, the lab's own members in
// clear and the others as tokens; and every account central detection flags is flagged in its
// own lab's feed. The default scenario's figures (README "Federation") come from the CLI.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  Detector, Federation, FEATURE_NAMES, parseDetectorConfig, parseUsageEventLine, testFederationKeys,
  type DistillationAlert, type LabAlert,
} from '@distillwatch/core';

const fixture = fileURLToPath(new URL('./fixtures/small-seed3.ndjson.gz', import.meta.url));

describe('federated detection against central detection (small fixture)', () => {
  const config = parseDetectorConfig({});
  const central = new Detector(config);
  const federation = new Federation(config, FEATURE_NAMES, testFederationKeys());
  const centralAlerts: DistillationAlert[] = [];
  const feeds: LabAlert[] = [];
  gunzipSync(readFileSync(fixture)).toString('utf8').trimEnd().split('\n').forEach((text, i) => {
    const parsed = parseUsageEventLine(text, i + 1);
    if (parsed.kind !== 'event') return;
    const step = central.pushEvent(parsed.event);
    if (Array.isArray(step)) centralAlerts.push(...step);
    feeds.push(...federation.pushEvent(parsed.event).alerts);
  });
  centralAlerts.push(...central.flush());
  feeds.push(...federation.flush());
  const key = (a: { lab: string; account_id: string }) => `${a.lab}/${a.account_id}`;
  const crossLab = centralAlerts.filter((a) => a.subject_kind === 'campaign' && new Set(a.accounts.map((x) => x.lab)).size > 1);

  it('shows each cross-lab campaign to every lab involved as one campaign with one id', () => {
    expect(crossLab.length).toBeGreaterThan(0);
    for (const campaign of crossLab) {
      const members = new Set(campaign.accounts.map(key));
      const ids = new Set<string>();
      for (const lab of new Set(campaign.accounts.map((x) => x.lab))) {
        const seen = feeds.filter((a) => a.recipient_lab === lab && a.source === 'forum' && a.accounts.some((x) => members.has(key(x))));
        expect(seen.length, `${campaign.subject_id} at ${lab}`).toBeGreaterThan(0);
        for (const a of seen) {
          ids.add(a.subject_id);
          expect(a.subject_kind).toBe('campaign');
          expect(a.accounts.map(key).sort()).toEqual(campaign.accounts.filter((x) => x.lab === lab).map(key).sort());
          expect(a.linked_accounts.map((x) => x.lab).sort()).toEqual(campaign.accounts.filter((x) => x.lab !== lab).map((x) => x.lab).sort());
        }
      }
      expect([...ids], campaign.subject_id).toHaveLength(1);
    }
  });

  it('never shows a lab a single-lab subject from the forum that its own detector already showed', () => {
    for (const lab of new Set(feeds.map((a) => a.recipient_lab))) {
      const mine = feeds.filter((a) => a.recipient_lab === lab);
      const local = mine.filter((a) => a.source === 'local');
      for (const f of mine.filter((a) => a.source === 'forum' && a.linked_accounts.length === 0)) {
        const shownLocally = (account: string) => local.some((l) => Math.abs(l.window_end - f.window_end) <= config.scorer.rearmAfterMs &&
          l.accounts.some((x) => key(x) === account));
        expect(f.accounts.every((y) => shownLocally(key(y))), `${f.subject_id} at ${lab}`).toBe(false);
      }
    }
  });

  it('flags in its own lab\'s feed every account central detection flags', () => {
    const flaggedCentrally = new Set(centralAlerts.flatMap((a) => a.accounts.map(key)));
    const flaggedFederated = new Set(feeds.flatMap((a) => a.accounts.map(key)));
    expect(flaggedCentrally.size).toBeGreaterThan(0);
    for (const account of flaggedCentrally) expect(flaggedFederated.has(account), account).toBe(true);
  });
}, 180_000);
