// The live dashboard (`distillwatch ui`): a small HTTP server on localhost with one page, live
// alerts over server-sent events from the alerts topic, filters by severity and lab, and for a
// selected subject its reasons and feature history (from account-features) as charts.
//
// Access needs the token: `?token=` once (it is then kept in an HttpOnly, SameSite=Strict
// cookie and dropped from the address), or `Authorization: Bearer <token>`. Requests naming
// another host are refused (DNS rebinding). It binds to 127.0.0.1 by default, reads topics
// (throw-away consumer groups, never committed), never shows prompt text (there is none in
// alerts or features), and writes one thing: an on-call verdict (`POST /api/verdict`, JSON, the
// buttons under a selected subject) to alert-verdicts, as `distillwatch verdict` does.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VerdictKind_SYMBOLS, type AccountFeatures, type DistillationAlert, type VerdictKind } from '@distillwatch/core';
import type { PlatformConfig } from '@distillwatch/platform/config';
import { followAlerts, followRecords } from './alertFeed.ts';
import { featureCharts } from './dashboardCharts.ts';
import { PAGE_CSS, PAGE_HTML, PAGE_SCRIPT } from './dashboardPage.ts';
import { AlertBoard, FeatureHistory } from './dashboardState.ts';
import { publishVerdict, verdictOn } from './verdictFeed.ts';

const COOKIE = 'dw_token';
const KEEPALIVE_MS = 15_000;
/** Largest verdict request body read (an alert id, a verdict and a short note). */
const VERDICT_BODY_LIMIT = 16 * 1024;

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > VERDICT_BODY_LIMIT) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface DashboardOptions {
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 8765, 0 for any free port. */
  port?: number;
  token: string;
  /** Alerts kept for pages that open later; default 1000. */
  recentAlerts?: number;
  /** Read the topics from their beginning (default) or only what arrives from now on. */
  fromBeginning?: boolean;
  /** Something worth telling the operator (a feed failed, a record could not be read). */
  onWarning?(message: string): void;
}

export interface Dashboard {
  /** The page's address, without the token. */
  readonly url: string;
  /** Resolves once both topic feeds have joined and are reading. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** What the server and the topic feeds share: the alerts and feature history seen so far, the open event streams. */
interface DashboardState {
  readonly board: AlertBoard;
  readonly history: FeatureHistory;
  readonly clients: Set<ServerResponse>;
  /** `Host` headers the server answers (set once it listens: its port is known then). */
  allowedHosts: Set<string>;
  warn(message: string): void;
}

export async function startDashboard(config: PlatformConfig, options: DashboardOptions): Promise<Dashboard> {
  const state: DashboardState = {
    board: new AlertBoard(options.recentAlerts ?? 1000),
    history: new FeatureHistory(),
    clients: new Set(),
    allowedHosts: new Set(),
    warn: options.onWarning ?? ((m: string) => process.stderr.write(`distillwatch ui: ${m}\n`)),
  };
  const server = createServer(requestHandler(config, state, tokenCheck(options.token)));
  const keepalive = setInterval(() => { for (const c of state.clients) c.write(': keepalive\n\n'); }, KEEPALIVE_MS);
  keepalive.unref();
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, host, options.port ?? 8765);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  state.allowedHosts = new Set([`${shownHost}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`]);
  const stop = new AbortController();
  const { ready, feeds } = followTopics(config, options.fromBeginning ?? true, state, stop.signal);
  return {
    url: `http://${shownHost}:${port}/`,
    ready,
    async close() {
      stop.abort();
      clearInterval(keepalive);
      for (const c of state.clients) c.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await feeds;
    },
  };
}

/** Whether a token is the dashboard's, compared in constant time. */
function tokenCheck(token: string): (given: string | undefined) => boolean {
  const expected = digest(token);
  return (given) => given !== undefined && timingSafeEqual(digest(given), expected);
}

/** Binds the server; resolves to its port. */
async function listen(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  return (server.address() as AddressInfo).port;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    ...extra,
  });
  res.end(body);
}

/** Every request: host check, token (query once, then cookie or bearer), then the route; a failure is a 500 and a warning. */
function requestHandler(config: PlatformConfig, state: DashboardState, valid: (token: string | undefined) => boolean): (req: IncomingMessage, res: ServerResponse) => void {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!state.allowedHosts.has(req.headers.host ?? '')) return send(res, 421, 'text/plain', 'unknown host\n');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return send(res, 200, 'text/plain', 'ok\n');
    const given = url.searchParams.get('token');
    if (given !== null && valid(given) && req.method === 'GET') {
      url.searchParams.delete('token');
      return send(res, 303, 'text/plain', '', {
        location: url.pathname + (url.search === '?' ? '' : url.search),
        'set-cookie': `${COOKIE}=${encodeURIComponent(given)}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!valid(cookieToken(req)) && !valid(bearer)) {
      return send(res, 401, 'text/plain', 'distillwatch ui: a token is required: open the address printed when the dashboard started\n');
    }
    if (req.method === 'POST' && url.pathname === '/api/verdict') return judge(config, state, req, res);
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'GET only\n');
    return route(state, url, req, res);
  };
  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      state.warn(`request ${req.url ?? ''} failed: ${(err as Error).message}`);
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
      else res.end();
    });
  };
}

/**
 * A verdict on an alert on the board, from the end of the latest window on the board (the
 * alerts topic's latest, as `distillwatch verdict` takes it). JSON only: a cross-site form
 * cannot send it, and the token cookie is SameSite=Strict.
 */
async function judge(config: PlatformConfig, state: DashboardState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'text/plain', 'application/json only\n');
  const text = await readBody(req);
  if (text === null) return send(res, 413, 'text/plain', 'request too large\n');
  let body: { alert_id?: unknown; verdict?: unknown; note?: unknown; analyst?: unknown };
  try { body = JSON.parse(text) as typeof body; } catch { return send(res, 400, 'text/plain', 'invalid JSON\n'); }
  if (!(VerdictKind_SYMBOLS as readonly unknown[]).includes(body?.verdict)) return send(res, 400, 'text/plain', `verdict must be one of ${VerdictKind_SYMBOLS.join(', ')}\n`);
  const alerts = state.board.all();
  const alert = alerts.find((a) => a.alert_id === body.alert_id);
  if (!alert) return send(res, 404, 'text/plain', 'no such alert on the board\n');
  const verdict = verdictOn(alert, {
    verdict: body.verdict as VerdictKind, verdictTime: Math.max(...alerts.map((a) => a.window_end)),
    analyst: typeof body.analyst === 'string' ? body.analyst : 'dashboard', note: typeof body.note === 'string' ? body.note : null,
  });
  await publishVerdict(config, verdict);
  return send(res, 200, 'application/json', JSON.stringify(verdict));
}

/** The pages and APIs of an authorised GET. */
async function route(state: DashboardState, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  switch (url.pathname) {
    case '/': return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML);
    case '/app.js': return send(res, 200, 'text/javascript; charset=utf-8', PAGE_SCRIPT);
    case '/app.css': return send(res, 200, 'text/css; charset=utf-8', PAGE_CSS);
    case '/api/alerts': return send(res, 200, 'application/json', JSON.stringify(state.board.all()));
    case '/api/subject': {
      const id = url.searchParams.get('id');
      if (!id) return send(res, 400, 'text/plain', 'id is required\n');
      return send(res, 200, 'application/json', JSON.stringify(await subjectView(state, id)));
    }
    case '/events': {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-content-type-options': 'nosniff' });
      res.write('retry: 2000\n\n');
      for (const a of state.board.all()) res.write(`event: alert\ndata: ${JSON.stringify(a)}\n\n`);
      state.clients.add(res);
      req.on('close', () => state.clients.delete(res));
      return;
    }
    default: return send(res, 404, 'text/plain', 'not found\n');
  }
}

/** A subject's alerts and the feature charts of its accounts (an account id alone when it never alerted). */
async function subjectView(state: DashboardState, id: string) {
  const alerts = state.board.of(id);
  const accounts = alerts.length > 0
    ? [...new Map(alerts.flatMap((a) => a.accounts).map((a) => [`${a.lab}/${a.account_id}`, a])).values()]
    : id.includes('/') ? [{ lab: id.slice(0, id.indexOf('/')), account_id: id.slice(id.indexOf('/') + 1) }] : [];
  const points = state.history.of(accounts);
  return { subject: id, alerts, charts: await featureCharts(alerts, points) };
}

/** Follows the alerts (each one pushed to the open event streams) and account-features topics until `signal`. */
function followTopics(config: PlatformConfig, fromBeginning: boolean, state: DashboardState, signal: AbortSignal): { ready: Promise<void>; feeds: Promise<unknown> } {
  const broadcast = (alert: DistillationAlert) => {
    state.board.add(alert);
    const event = `event: alert\ndata: ${JSON.stringify(alert)}\n\n`;
    for (const c of state.clients) c.write(event);
  };
  let readyAlerts: () => void = () => undefined;
  let readyFeatures: () => void = () => undefined;
  const ready = Promise.all([
    new Promise<void>((resolve) => { readyAlerts = resolve; }),
    new Promise<void>((resolve) => { readyFeatures = resolve; }),
  ]).then(() => undefined);
  const feeds = Promise.all([
    followAlerts(config, {
      fromBeginning, signal, clientId: 'distillwatch-ui', onReady: readyAlerts,
      onAlert: (a) => { broadcast(a); },
      onUndecodable: (err, at) => state.warn(`alerts partition ${at.partition} offset ${at.offset}: ${err.message}`),
    }),
    followRecords<AccountFeatures>(config, {
      topic: 'account-features', schemaFile: 'account-features.avsc', fromBeginning, signal, clientId: 'distillwatch-ui', onReady: readyFeatures,
      onRecord: (r) => { state.history.add(r); },
      onUndecodable: (err, at) => state.warn(`account-features partition ${at.partition} offset ${at.offset}: ${err.message}`),
    }),
  ]).catch((err: unknown) => state.warn(`reading the topics failed: ${(err as Error).message}`));
  return { ready, feeds };
}
