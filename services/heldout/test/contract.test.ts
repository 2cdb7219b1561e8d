import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateHeldout } from '../src/index.ts';
import { contractProblems, eventTime } from './contract.ts';
import { sample } from './sample.ts';

const digest = (lines: string[], labels: unknown): string => createHash('sha256').update(lines.join('\n')).update(JSON.stringify(labels)).digest('hex');

// Generating and checking a few hundred thousand lines takes tens of seconds on a busy machine.
describe('the held-out file against the usage-event contract', { timeout: 300_000 }, () => {
  const { output } = sample();
  const checked = output.lines.map((line) => ({ line, problems: line === '' ? ['blank'] : contractProblems(line) }));
  const valid = checked.filter((c) => c.problems.length === 0).map((c) => ({ line: c.line, event: JSON.parse(c.line) as Record<string, unknown> }));

  it('is the same bytes for the same seed, and different for another seed', () => {
    const a = generateHeldout({ seed: 11, days: 1, scale: 0.05, eventsFile: 'e.ndjson' });
    const b = generateHeldout({ seed: 11, days: 1, scale: 0.05, eventsFile: 'e.ndjson' });
    const c = generateHeldout({ seed: 12, days: 1, scale: 0.05, eventsFile: 'e.ndjson' });
    expect(digest(a.lines, a.labels)).toBe(digest(b.lines, b.labels));
    expect(digest(c.lines, c.labels)).not.toBe(digest(a.lines, a.labels));
  });

  it('writes every event line valid per CONTRACT.md section 2, and only the few malformed lines it means to', () => {
    const bad = checked.filter((x) => x.problems.length > 0);
    expect(bad.length).toBeGreaterThanOrEqual(6);
    expect(bad.length).toBeLessThan(output.lines.length / 1000);
    // Each malformed line is one of the faults a feed really carries, and none is a stray type error of ours.
    for (const b of bad) {
      expect(b.problems.every((p) => /^(blank|not JSON|input_tokens|output_tokens|account_id|event_time)/.test(p)), b.problems.join('; ')).toBe(true);
    }
  });

  it('keeps event_time non-decreasing except delays under two minutes', () => {
    let latest = -Infinity;
    let worst = 0;
    for (const { event } of valid) {
      const t = eventTime(event['event_time']);
      worst = Math.max(worst, latest - t);
      latest = Math.max(latest, t);
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(120_000);
  });

  it('keeps cost coherent with tokens: no cost without tokens, errors free, embeddings without output', () => {
    const incoherent = valid.map(({ event }) => event as Record<string, number | string>).filter((e) =>
      (e['status'] !== 200 && (e['output_tokens'] !== 0 || e['cost_usd'] !== 0))
      || (e['endpoint'] === 'embeddings' && e['output_tokens'] !== 0)
      || ((e['cost_usd'] as number) > 0 && (e['input_tokens'] as number) + (e['output_tokens'] as number) === 0)
      || (e['cost_usd'] as number) >= 50);
    expect(incoherent).toEqual([]);
    expect(valid.some(({ event }) => event['status'] !== 200)).toBe(true);
  });

  it('makes event ids unique within each lab, apart from the retried duplicates', () => {
    const seen = new Map<string, string>();
    let repeats = 0;
    for (const { line, event } of valid) {
      const e = event as { lab: string; event_id: string };
      const key = `${e.lab}/${e.event_id}`;
      if (seen.has(key)) {
        repeats++;
        expect(seen.get(key)).toBe(line); // a retry is the identical event
      } else seen.set(key, line);
    }
    expect(repeats).toBe(output.labels.totals.duplicates);
  });
});
