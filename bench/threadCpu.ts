// CPU seconds per thread of a command, as Linux counts them (/proc/PID/task/*/stat, user +
// system), for seeing which thread of `detect --threads N` sets the pace and what the V8
// helper threads (garbage collection, background compilation) add. Wall-clock time on a shared
// machine measures the machine's load; CPU time per thread measures the program.
//   node bench/threadCpu.ts node services/cli/src/main.ts detect --input F --output G --threads 2
// prints one line per thread name (threads of one name summed, e.g. the four `V8Worker`s) and
// the total, after the command exits. Samples every 100 ms, so the last 100 ms of a thread
// may be missing. Linux only; never changes what the command does.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const SAMPLE_MS = 100;
// Kernel clock ticks per second (`getconf CLK_TCK`), 100 on every Linux Node supports.
const TICKS_PER_S = 100;

const [command, ...args] = process.argv.slice(2);
if (command === undefined) throw new Error('usage: node bench/threadCpu.ts COMMAND [ARG ...]');

/** Thread id -> [name, CPU ticks] as last seen. */
const seen = new Map<string, [string, number]>();

function sample(pid: number): void {
  let tids: string[];
  try { tids = readdirSync(`/proc/${pid}/task`); } catch { return; }
  for (const tid of tids) {
    let stat: string;
    try { stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'); } catch { continue; }
    // "tid (name) state ...": the name may hold spaces, so fields are counted after its ')'.
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
    seen.set(tid, [name, Number(fields[11]) + Number(fields[12])]);
  }
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const timer = setInterval(() => sample(child.pid!), SAMPLE_MS);
child.on('exit', (code) => {
  clearInterval(timer);
  const byName = new Map<string, number>();
  for (const [name, ticks] of seen.values()) byName.set(name, (byName.get(name) ?? 0) + ticks);
  let total = 0;
  for (const [name, ticks] of [...byName].sort((a, b) => b[1] - a[1])) {
    total += ticks;
    process.stderr.write(`thread_cpu_s ${name} ${(ticks / TICKS_PER_S).toFixed(2)}\n`);
  }
  process.stderr.write(`thread_cpu_s total ${(total / TICKS_PER_S).toFixed(2)}\n`);
  process.exitCode = code ?? 1;
});
