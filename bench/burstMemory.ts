// Retained state per account of the window assembler in a burst of new accounts (each 1 to 5
// short events within one hour, bench/scaleTraffic.ts): `node --expose-gc bench/burstMemory.ts
// ACCOUNTS` runs the Aggregator (profiles, open windows, de-duplication ids, the assembler's
// maps and heap) over the burst and prints {"accounts", "bytesPerAccount", "heapBytesPerAccount",
// "arrayBufferBytesPerAccount"}: heap and array buffers after a full GC, over accounts held.
// The burst file is written to bench/.data/ once.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aggregator, parseUsageEventLine, type UsageEvent } from '../services/core/src/index.ts';
import { writeBurst } from './scaleTraffic.ts';

const accounts = Number(process.argv[2] ?? 50_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const data = fileURLToPath(new URL('.data', import.meta.url));
mkdirSync(data, { recursive: true });
const path = join(data, `burst-memory-${accounts}.ndjson`);
if (!existsSync(path)) await writeBurst(path, accounts, 5);

// The events exist before the measurement starts, so only what the aggregator retains is counted.
// Read in a function of their own: the file's text (about 1.4 KB per account) must be garbage
// before the first reading, not held by a temporary of this module's frame into the second.
function readEvents(): UsageEvent[] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').flatMap((l, i) => {
    const p = parseUsageEventLine(l, i + 1);
    return p.kind === 'event' ? [p.event] : [];
  });
}
const events = readEvents();
gc();
gc();
const before = process.memoryUsage();
const aggregator = new Aggregator();
for (const e of events) aggregator.push(e);
gc();
gc();
const after = process.memoryUsage();
const held = aggregator.accountCount;
const heap = after.heapUsed - before.heapUsed;
const buffers = after.arrayBuffers - before.arrayBuffers;
console.log(JSON.stringify({
  accounts: held, events: events.length, bytesPerAccount: Math.round((heap + buffers) / held),
  heapBytesPerAccount: Math.round(heap / held), arrayBufferBytesPerAccount: Math.round(buffers / held),
}));
