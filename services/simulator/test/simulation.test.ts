import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseUsageEventLine, simHashHex, type UsageEvent } from '@distillwatch/core';
import { buildPopulation, CAMPAIGN_ARCHETYPES, labelsOf, scenarioByName, Simulation, type Labels } from '../src/index.ts';

interface Run {
  text: string;
  lines: string[];
  labels: Labels;
}

function simulate(scenario: string, seed: number, days?: number): Run {
  const sim = new Simulation(buildPopulation(scenarioByName(scenario)!, { seed, days }));
  const lines: string[] = [];
  for (const event of sim.events()) lines.push(JSON.stringify(event));
  return { text: lines.join('\n') + '\n', lines, labels: labelsOf(sim, 'events.ndjson') };
}

function parsed(run: Run): UsageEvent[] {
  return run.lines.map((line, i) => {
    const result = parseUsageEventLine(line, i + 1);
    if (result.kind !== 'event') throw new Error(`line ${i + 1} not an event: ${JSON.stringify(result)}`);
    return result.event;
  });
}

const small = simulate('small', 7);
const smallEvents = parsed(small);

describe('simulate: determinism', () => {
  it('gives byte-identical output for the same scenario and seed', () => {
    const again = simulate('small', 7);
    expect(again.text).toBe(small.text);
    expect(JSON.stringify(again.labels)).toBe(JSON.stringify(small.labels));
  });

  it('keeps the original scenarios byte-identical to the architecture baseline (golden hash of small, seed 7)', () => {
    // Hashes taken at commit d2a6bd5: the wide scenarios must not change what the original ones draw.
    expect(createHash('sha256').update(small.text).digest('hex')).toBe('67423d7dc69e254cd9ee1b18e352d3121cfbaad7ad2ba2cf52ef6408e0ca4c68');
    expect(createHash('sha256').update(JSON.stringify(small.labels)).digest('hex')).toBe('e6a56ebf29a082fc1985c571e4b9caebc630ed932e71b9d958d5a17662077826');
  });

  it('gives different output for a different seed', () => {
    const other = simulate('small', 8);
    expect(other.text).not.toBe(small.text);
    expect(other.labels.accounts.map((a) => a.account_id)).not.toEqual(small.labels.accounts.map((a) => a.account_id));
  });

  it('starts at the fixed simulated epoch, not the clock', () => {
    expect(small.labels.start_time).toBe(Date.UTC(2026, 2, 2));
    expect(Math.min(...smallEvents.map((e) => e.event_time))).toBeGreaterThanOrEqual(Date.UTC(2026, 2, 2));
    expect(Math.max(...smallEvents.map((e) => e.event_time))).toBeLessThan(small.labels.end_time);
  });
});

describe('simulate: events follow the contract', () => {
  it('writes only lines that the core parser accepts as usage events', () => {
    expect(smallEvents.length).toBe(small.lines.length);
    expect(smallEvents.length).toBeGreaterThan(40_000);
  });

  it('dresses each lab as it reports: text, text + topic, or SimHash + topic', () => {
    const byLab = (lab: string) => smallEvents.filter((e) => e.lab === lab);
    expect(byLab('lab-a').every((e) => e.prompt_text != null && e.prompt_simhash == null && e.topic == null)).toBe(true);
    expect(byLab('lab-b').every((e) => e.prompt_text != null && e.topic != null)).toBe(true);
    expect(byLab('lab-c').every((e) => e.prompt_text == null && /^[0-9a-f]{16}$/.test(e.prompt_simhash!) && e.topic != null)).toBe(true);
    // lab-b writes ISO-8601 times, the others epoch milliseconds.
    expect(small.lines.find((l) => l.includes('"lab":"lab-b"'))).toMatch(/"event_time":"2026-03-0\dT[\d:.]+Z"/);
  });

  it('computes the SimHash of a near-duplicate prompt close to the original', () => {
    const a = simHashHex('Summarise the following customer support ticket in three bullet points. Record 1: refund');
    const b = simHashHex('Summarise the following customer support ticket in three bullet points. Record 2: refund');
    const distance = [...(BigInt('0x' + a) ^ BigInt('0x' + b)).toString(2)].filter((c) => c === '1').length;
    expect(distance).toBeLessThan(16);
  });

  it('bills every request from the price list: failed requests cost nothing', () => {
    for (const e of smallEvents) {
      expect(Number.isInteger(e.input_tokens) && e.input_tokens > 0).toBe(true);
      if (e.status !== 200) expect(e.cost_usd).toBe(0);
    }
    expect(smallEvents.filter((e) => e.status === 429).length).toBeGreaterThan(0);
    expect(smallEvents.filter((e) => e.status === 500).length).toBeGreaterThan(0);
  });
});

describe('simulate: delivery noise', () => {
  it('delivers a few events late, a handful beyond the allowed lateness, and a few twice', () => {
    const latest = new Map<string, number>();
    let lateWithin = 0, lateBeyond = 0;
    for (const e of smallEvents) {
      const key = `${e.lab}/${e.account_id}`;
      const seen = latest.get(key) ?? -Infinity;
      if (e.event_time < seen - 120_000) lateBeyond++;
      else if (e.event_time < seen) lateWithin++;
      latest.set(key, Math.max(seen, e.event_time));
    }
    const ids = new Set<string>();
    let duplicates = 0;
    for (const e of smallEvents) {
      const id = `${e.lab}/${e.event_id}`;
      if (ids.has(id)) duplicates++;
      ids.add(id);
    }
    expect(duplicates).toBe(small.labels.totals.duplicates);
    expect(duplicates).toBeGreaterThan(5);
    expect(duplicates / smallEvents.length).toBeLessThan(0.002);
    expect(lateWithin).toBeGreaterThan(10);
    expect(lateWithin / smallEvents.length).toBeLessThan(0.01);
    expect(lateBeyond).toBeLessThanOrEqual(small.labels.totals.delayed_beyond_lateness);
    expect(small.labels.totals.lines).toBe(small.lines.length);
    expect(small.labels.totals.events).toBe(ids.size);
  });
});

describe('simulate: labels', () => {
  const counts = new Map<string, { events: Set<string>; first: number }>();
  for (const e of smallEvents) {
    const key = `${e.lab}/${e.account_id}`;
    const c = counts.get(key) ?? { events: new Set<string>(), first: Infinity };
    c.events.add(e.event_id);
    c.first = Math.min(c.first, e.event_time);
    counts.set(key, c);
  }

  it('labels every account that sent events, with its exact distinct event count', () => {
    const labelled = new Map(small.labels.accounts.map((a) => [`${a.lab}/${a.account_id}`, a]));
    for (const [key, c] of counts) {
      expect(labelled.get(key)?.events, key).toBe(c.events.size);
      expect(labelled.get(key)?.first_event_time, key).toBe(c.first);
    }
    for (const a of small.labels.accounts) if (a.events > 0) expect(counts.has(`${a.lab}/${a.account_id}`)).toBe(true);
  });

  it('lists each campaign with exactly the accounts labelled as its members', () => {
    for (const c of small.labels.campaigns) {
      const members = small.labels.accounts.filter((a) => a.campaign_id === c.campaign_id).map((a) => `${a.lab}/${a.account_id}`).sort();
      expect(c.accounts.map((a) => `${a.lab}/${a.account_id}`).sort()).toEqual(members);
      expect(members.length).toBeGreaterThan(0);
      expect(c.first_event_time).toBe(Math.min(...members.map((m) => counts.get(m)!.first)));
      expect(c.first_event_time!).toBeGreaterThanOrEqual(c.start_time);
    }
    for (const a of small.labels.accounts) expect(a.kind === 'campaign').toBe(a.campaign_id !== null);
  });

  it('records the events file and the format', () => {
    expect(small.labels.format).toBe('distillwatch-labels/1');
    expect(small.labels.events_file).toBe('events.ndjson');
  });

  it('holds at least four campaigns of every archetype in the default scenario', () => {
    const pop = buildPopulation(scenarioByName('default')!, { seed: 1 });
    for (const archetype of CAMPAIGN_ARCHETYPES) {
      expect(pop.campaigns.filter((c) => c.archetype === archetype).length, archetype).toBeGreaterThanOrEqual(4);
    }
    const accounts = new Set(pop.actors.map((a) => `${a.identity.lab}/${a.identity.account_id}`));
    expect(accounts.size).toBeGreaterThan(1000);
    expect(accounts.size).toBeLessThan(2000);
  });
});
