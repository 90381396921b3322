// Serves the console to a browser: the built renderer as static files, GET /api/health, and the
// typed API over a WebSocket at /api/ws (requests, plus the node's throttled pushes).
//
// No request can stop the node: every request and upgrade handler is guarded, targets and
// headers are parsed defensively, and slow or oversized requests are cut off by limits. Who may
// use the console at all is request-guard.ts's call (Host and Origin allow-lists, the token).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiHandlers, PushTopic } from '../../shared/api';
import { dispatch, errorDto } from './dispatch';
import { fleetPushes, pushPayload } from './handlers';
import type { NodeApi } from './node-api';
import { RequestGuard } from './request-guard';
import { serveStatic } from './static-files';
import type { TileLibrary } from '../tiles/tile-library';
import { serveTile } from './tile-route';

export interface ConsoleServerOptions {
  readonly node: NodeApi;
  readonly handlers: ApiHandlers;
  readonly version: string;
  /** The built renderer (out/renderer); null serves the API only. */
  readonly staticDir: string | null;
  /** Host names the console answers to (console-hosts.ts); loopback names when absent. */
  readonly hosts?: readonly string[];
  /** Required from API clients when set. */
  readonly accessToken?: string;
  /** Where the token is kept, to name in refusals. */
  readonly accessTokenFile?: string;
  /** Routes authenticated by their own means (signed webhooks): outside the host and token rules. */
  readonly intake?: IntakeRoutes;
  /** The user's offline map files, served at /tiles/ID/Z/X/Y. */
  readonly tiles?: TileLibrary;
}

export interface IntakeRoutes {
  handles(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Figures for the health check (rates, depth, statuses). */
  stats(): object;
}

/** Limits that end slow or oversized requests before they hold memory or a socket for long. */
const LIMITS = { maxHeaderSize: 16 * 1024, headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 };
/** WebSocket messages up to this size (an attachment of 3 MB is 4 MB as base64). */
const MAX_WS_MESSAGE = 5 * 1024 * 1024;
const MAX_WS_BUFFERED = 4 * 1024 * 1024;

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

/**
 * The path and token of a request, without throwing on anything a client sends. The token comes
 * as `?token=` (what a browser opens) or as `Authorization: Bearer TOKEN` (scripts, monitors).
 */
export function splitTarget(target: string | undefined, authorization?: string): { path: string; token: string | null } {
  const raw = target ?? '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? null;
  const token = bearer ?? (q < 0 ? null : new URLSearchParams(raw.slice(q + 1)).get('token'));
  return { path, token };
}

function refuseSocket(socket: Duplex, status: number, code: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${code}\n`);
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message } }));
}

export { LIMITS as HTTP_LIMITS, sendError };

export class ConsoleServer {
  readonly http: Server;
  private readonly guard: RequestGuard;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<WebSocket>();
  private readonly deadlines = new WeakMap<Socket, { close(): void }>();
  private readonly unsubscribe: () => void;
  /** What the consoles were last sent of the fleet (pushes carry the trucks that changed). */
  private readonly fleet = fleetPushes();

  constructor(private readonly opts: ConsoleServerOptions) {
    this.guard = new RequestGuard({ hosts: opts.hosts ?? ['localhost', '127.0.0.1', '::1'], accessToken: opts.accessToken, accessTokenFile: opts.accessTokenFile });
    this.http = createServer(LIMITS, (req, res) => {
      try {
        this.onRequest(req, res);
      } catch {
        // A request this code did not expect is that request's problem, never the node's.
        if (!res.headersSent) sendError(res, 400, 'bad_request', 'the request could not be handled');
        else res.destroy();
      }
    });
    this.http.on('clientError', (_e, socket: Duplex) => refuseSocket(socket, 400, 'bad_request'));
    // The sockets arrive through the shared port (emit('connection')), where Node's own header
    // timeout never runs: a client gets headersTimeout for each request's headers, or is cut off.
    this.http.on('connection', (socket: Socket) => this.deadline(socket));
    this.http.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.deadlines.get(req.socket)?.close();
      res.on('finish', () => this.deadline(req.socket));
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      try {
        this.onUpgrade(req, socket, head);
      } catch {
        refuseSocket(socket, 400, 'bad_request');
      }
    });
    this.unsubscribe = opts.node.onPush((topic) => this.broadcast(topic));
  }

  /** Cuts the socket off unless a complete request (or an upgrade) arrives in time. */
  private deadline(socket: Socket): void {
    this.deadlines.get(socket)?.close();
    if (socket.destroyed) return;
    const timer = setTimeout(() => socket.destroy(), LIMITS.headersTimeout);
    timer.unref();
    this.deadlines.set(socket, { close: () => clearTimeout(timer) });
    socket.once('close', () => clearTimeout(timer));
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.deadlines.get(socket as Socket)?.close();
    const { path, token } = splitTarget(req.url, req.headers.authorization);
    if (path !== '/api/ws') return refuseSocket(socket, 404, 'not_found');
    const verdict = this.guard.checkUpgrade(req.headers.host, req.headers.origin, token);
    if (!verdict.ok) return refuseSocket(socket, verdict.status, verdict.code);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onClient(ws));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const intake = this.opts.intake;
    if (intake?.handles(splitTarget(req.url).path)) return intake.handle(req, res);
    const host = this.guard.checkHost(req.headers.host);
    if (!host.ok) return sendError(res, host.status, host.code, host.message);
    const { path, token } = splitTarget(req.url, req.headers.authorization);
    if (!path.startsWith('/')) return sendError(res, 400, 'bad_target', 'the request target must be a path on this node');
    if (path === '/api/health') {
      const n = this.opts.node;
      res.setHeader('Content-Type', 'application/json');
      // Reachable from other machines, the health check says only "up" until the token is shown;
      // a wrong token is refused, so a monitor set up with a stale one finds out.
      const verdict = this.guard.checkToken(token);
      if (!verdict.ok && token !== null) return sendError(res, verdict.status, verdict.code, verdict.message);
      if (!verdict.ok) return void res.end(JSON.stringify({ ok: true, version: this.opts.version }));
      let events: number;
      try {
        events = n.log.eventCount();
      } catch (e) {
        return sendError(res, 503, 'store_unavailable', `the node is up but its store cannot be read (${(e as Error).message})`);
      }
      const intake = this.opts.intake?.stats();
      res.end(JSON.stringify({ ok: true, node: n.self, name: n.name, version: this.opts.version, events, peers: n.peerRows().filter((r) => r.connected).length, loop: n.loopDelay(), jobs: n.jobs.list(), ...(intake ? { intake } : {}) }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    if (path.startsWith('/tiles/')) {
      const verdict = this.guard.checkToken(token);
      if (!verdict.ok) return sendError(res, verdict.status, verdict.code, verdict.message);
      return serveTile(this.opts.tiles ?? null, path.slice('/tiles/'.length), res);
    }
    serveStatic(this.opts.staticDir, path, res);
  }

  private onClient(ws: WebSocket): void {
    this.clients.add(ws);
    ws.on('close', () => this.clients.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data) => {
      void this.answer(ws, data.toString());
    });
  }

  private async answer(ws: WebSocket, text: string): Promise<void> {
    let msg: { id?: unknown; call?: unknown; args?: unknown } | null;
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch (e) {
      ws.send(JSON.stringify({ id: null, ok: false, error: errorDto(e) }));
      return;
    }
    const id = msg?.id ?? null;
    const envelope = await dispatch(this.opts.handlers, msg?.call, msg?.args);
    let reply: string;
    try {
      reply = JSON.stringify({ id, ...envelope });
    } catch {
      reply = JSON.stringify({ id, ok: false, error: { code: 'internal_error', message: 'the result could not be encoded as JSON' } });
    }
    ws.send(reply);
  }

  private broadcast(topic: PushTopic): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify({ push: topic, data: pushPayload(this.opts.handlers, topic, { fleet: this.fleet, node: this.opts.node }) });
    for (const ws of this.clients) {
      // A console that cannot keep up skips pushes rather than buffering them without bound.
      if (ws.readyState === ws.OPEN && ws.bufferedAmount < MAX_WS_BUFFERED) ws.send(text);
    }
  }

  close(): void {
    this.unsubscribe();
    for (const ws of this.clients) ws.terminate();
    this.wss.close();
    this.http.close();
  }
}
