// One TCP reachability probe for the command line, the local infrastructure, the test harness
// and the bench: whether something accepts a connection at `host:port`, without speaking to it.
import { Socket } from 'node:net';

/**
 * Tries a TCP connection to `address` (`host:port`, an IPv6 host in brackets or bare); resolves
 * null when it is accepted, else why not: the error code (`ECONNREFUSED`, ...) or 'timed out'.
 */
export function tcpProbe(address: string, timeoutMs = 3_000): Promise<string | null> {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(colon + 1));
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (reason: string | null) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done('timed out'));
    socket.once('connect', () => done(null));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    socket.connect(port, host);
  });
}
