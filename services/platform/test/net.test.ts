import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { tcpProbe } from '../src/net.ts';
import { freePort } from './harness.ts';

describe('tcpProbe', () => {
  it('resolves null where something listens, and the reason where nothing does', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    expect(await tcpProbe(`127.0.0.1:${port}`)).toBeNull();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await tcpProbe(`127.0.0.1:${await freePort()}`)).toBe('ECONNREFUSED');
    expect(await tcpProbe(`[::1]:${await freePort()}`)).toMatch(/^E/);
  });
});
