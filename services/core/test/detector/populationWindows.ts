// The test population's closed account-windows, grouped by window, oldest first: what the
// scorer tests feed the WindowScorer one window at a time.
import type { AccountFeatures } from '../../src/schemas.generated.ts';
import { Aggregator } from '../../src/detector/aggregator.ts';
import { population } from './population.ts';

export interface Window { start: number; end: number; records: AccountFeatures[] }

export function windowsOf(seed: number): Window[] {
  const aggregator = new Aggregator();
  const records: AccountFeatures[] = [];
  for (const e of population(seed).events) records.push(...aggregator.push(e).records);
  records.push(...aggregator.flush());
  const byEnd = new Map<number, AccountFeatures[]>();
  for (const r of records) byEnd.set(r.window_end, [...(byEnd.get(r.window_end) ?? []), r]);
  return [...byEnd].sort((a, b) => a[0] - b[0]).map(([end, rs]) => ({ start: rs[0]!.window_start, end, records: rs }));
}
