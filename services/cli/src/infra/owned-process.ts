// Background JVMs that `infra up` starts and `infra down` stops, tracked by pid files. It must
// never signal a process it did not start: a pid is trusted only while that process's command
// line still carries the marker we gave it (pids are reused after a process exits).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface OwnedProcessSpec {
  /** Short name for messages: `kafka`, `apicurio`. */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** Both stdout and stderr go here; truncated at each start. */
  logFile: string;
  pidFile: string;
  /** A string that must appear in the command line (see the file comment). */
  marker: string;
}

/** Starts the process detached (it outlives the CLI) and records its pid. */
export function startOwnedProcess(spec: OwnedProcessSpec): number {
  const log = openSync(spec.logFile, 'w');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      detached: true,
      stdio: ['ignore', log, log],
    });
    // A failed spawn also emits 'error'; the missing pid below already reports it.
    child.once('error', () => undefined);
    if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
    child.unref();
    writeFileSync(spec.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** The pid of our process from the pid file when it still runs; removes a stale pid file. */
export function runningPid(pidFile: string, marker: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isOurs(pid, marker)) return pid;
  rmSync(pidFile, { force: true });
  return undefined;
}

/** True while the pid is alive and is our process. */
export function isOurs(pid: number, marker: string): boolean {
  try {
    // Null-separated argv; a zombie has an empty command line and counts as gone.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker);
  } catch {
    return false;
  }
}

/**
 * SIGTERM, then SIGKILL if it is still there after `graceMs`; resolves once it is gone and the
 * pid file removed. Returns how it ended; throws if even SIGKILL did not end it.
 */
export async function stopOwnedProcess(pid: number, spec: Pick<OwnedProcessSpec, 'name' | 'pidFile' | 'marker'>, graceMs = 30_000): Promise<'terminated' | 'killed'> {
  let how: 'terminated' | 'killed' = 'terminated';
  signal(pid, 'SIGTERM');
  const killAt = Date.now() + graceMs;
  const giveUpAt = killAt + 10_000;
  while (isOurs(pid, spec.marker)) {
    if (Date.now() > killAt && how === 'terminated') {
      signal(pid, 'SIGKILL');
      how = 'killed';
    }
    if (Date.now() > giveUpAt) throw new Error(`${spec.name} (pid ${pid}) still runs 10 s after SIGKILL`);
    await sleep(100);
  }
  rmSync(spec.pidFile, { force: true });
  return how;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** The last lines of a log, for error messages when a process dies or never gets ready. */
export function logTail(logFile: string, lines = 30): string {
  if (!existsSync(logFile)) return '(no log written)';
  const text = readFileSync(logFile, 'utf8').trimEnd();
  return text.split('\n').slice(-lines).join('\n');
}
