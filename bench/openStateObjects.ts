// What the aggregator's open state is made of, per account, in a burst of new accounts (each
// 1 to 5 short events within one hour, bench/scaleTraffic.ts): `node --expose-gc
// bench/openStateObjects.ts ACCOUNTS` takes a heap snapshot before and after the burst's events
// are pushed through an Aggregator (read and parsed in a function of their own, so only what the
// aggregator keeps is alive), and prints objects and bytes per account by kind of heap object,
// largest first (kinds under 4 bytes an account left out). Snapshots go to the system's temp
// folder and are deleted; at 2x10^4 accounts each is about 100 MB.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { Aggregator, parseUsageEventLine } from '../services/core/src/index.ts';
import { writeBurst } from './scaleTraffic.ts';

const accounts = Number(process.argv[2] ?? 20_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const burst = join(tmpdir(), `distillwatch-open-state-${process.pid}.ndjson`);
await writeBurst(burst, accounts, 5);

function push(aggregator: Aggregator): void {
  const lines = readFileSync(burst, 'utf8').trimEnd().split('\n');
  for (let i = 0; i < lines.length; i++) {
    const p = parseUsageEventLine(lines[i]!, i + 1);
    if (p.kind === 'event') aggregator.push(p.event);
  }
}

/** Count and self size by kind (`type:name`; strings and numbers by type only) of one snapshot. */
function kinds(file: string): Map<string, { count: number; bytes: number }> {
  const s = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[];
  };
  const fields = s.snapshot.meta.node_fields.length;
  const types = s.snapshot.meta.node_types[0];
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < s.nodes.length; i += fields) {
    const type = types[s.nodes[i]!]!;
    const named = type === 'object' || type === 'array' || type === 'native' || type === 'closure';
    const kind = named ? `${type}:${s.strings[s.nodes[i + 1]!]!.slice(0, 40)}` : type;
    const k = out.get(kind) ?? { count: 0, bytes: 0 };
    k.count++;
    k.bytes += s.nodes[i + 3]!;
    out.set(kind, k);
  }
  return out;
}

const aggregator = new Aggregator();
gc();
const before = writeHeapSnapshot(join(tmpdir(), `distillwatch-open-state-${process.pid}-before.heapsnapshot`));
push(aggregator);
gc();
const after = writeHeapSnapshot(join(tmpdir(), `distillwatch-open-state-${process.pid}-after.heapsnapshot`));
const held = aggregator.accountCount;
const was = kinds(before);
const rows = [...kinds(after)].map(([kind, k]) => ({
  kind, objects: (k.count - (was.get(kind)?.count ?? 0)) / held, bytes: (k.bytes - (was.get(kind)?.bytes ?? 0)) / held,
})).filter((r) => Math.abs(r.bytes) >= 4).sort((a, b) => b.bytes - a.bytes);
for (const f of [before, after, burst]) rmSync(f);
const m = process.memoryUsage();
console.log(JSON.stringify({
  accounts: held, rows: rows.map((r) => ({ kind: r.kind, objects: +r.objects.toFixed(2), bytes: Math.round(r.bytes) })),
  objects: +rows.reduce((a, r) => a + r.objects, 0).toFixed(1), bytes: Math.round(rows.reduce((a, r) => a + r.bytes, 0)),
  array_buffer_bytes: Math.round(m.arrayBuffers / held),
}, null, 1));
