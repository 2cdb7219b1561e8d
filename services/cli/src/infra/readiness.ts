// Waiting for a started process to serve, by polling a probe (never a fixed sleep). It must
// never wait forever or hide why a start failed: a process that dies or stays unready past the
// deadline becomes an InfraStartError carrying the tail of its log.
import { tcpProbe } from '@distillwatch/platform/net';
import { setTimeout as sleep } from 'node:timers/promises';
import { isOurs, logTail } from './owned-process.ts';

/** A local process did not come up; `logTail` says why, in its own words. */
export class InfraStartError extends Error {
  override readonly name = 'InfraStartError';
  readonly retriable = false;
  readonly logFile: string;
  readonly logTail: string;
  constructor(message: string, logFile: string) {
    super(message);
    this.logFile = logFile;
    this.logTail = logTail(logFile);
  }
}

export interface Watched {
  name: string;
  pid: number;
  marker: string;
  logFile: string;
}

/** Polls `probe` until it resolves true; throws InfraStartError if the process exits or time runs out. */
export async function awaitReady(watched: Watched, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isOurs(watched.pid, watched.marker)) {
      throw new InfraStartError(`${watched.name} (pid ${watched.pid}) exited before it was ready; see ${watched.logFile}`, watched.logFile);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new InfraStartError(`${watched.name} (pid ${watched.pid}) not ready after ${Math.round(timeoutMs / 1000)} s; see ${watched.logFile}`, watched.logFile);
    }
    await sleep(250);
  }
}

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export async function portAccepts(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return (await tcpProbe(`${host.includes(':') ? `[${host}]` : host}:${port}`, timeoutMs)) === null;
}
