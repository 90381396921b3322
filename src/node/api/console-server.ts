// Serves the console to a browser: the built renderer as static files, GET /api/health, and the
// typed API over a WebSocket at /api/ws (requests, plus the node's throttled pushes).
//
// Security: the WebSocket refuses cross-origin pages (a website the user visits cannot drive the
// node), and when the node listens beyond loopback every API client must present the access
// token printed at start-up.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiHandlers, PushTopic } from '../../shared/api';
import { dispatch, errorDto } from './dispatch';
import { pushPayload } from './handlers';
import type { NodeApi } from './node-api';

export interface ConsoleServerOptions {
  readonly node: NodeApi;
  readonly handlers: ApiHandlers;
  readonly version: string;
  /** The built renderer (out/renderer); null serves the API only. */
  readonly staticDir: string | null;
  /** Required from API clients when set. */
  readonly accessToken?: string;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function tokenMatches(given: string | null, want: string): boolean {
  if (!given || given.length !== want.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(want));
}

export class ConsoleServer {
  readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<WebSocket>();
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: ConsoleServerOptions) {
    this.http = createServer((req, res) => this.onRequest(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
    this.http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const origin = req.headers.origin;
      const host = req.headers.host;
      if (url.pathname !== '/api/ws' || (origin && host && new URL(origin).host !== host)) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      if (opts.accessToken && !tokenMatches(url.searchParams.get('token'), opts.accessToken)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onClient(ws));
    });
    this.unsubscribe = opts.node.onPush((topic) => this.broadcast(topic));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (url.pathname === '/api/health') {
      const n = this.opts.node;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ok: true, node: n.self, name: n.name, version: this.opts.version, events: n.log.eventCount(), peers: n.peerRows().filter((r) => r.connected).length }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    this.serveStatic(url.pathname, res);
  }

  private serveStatic(pathname: string, res: ServerResponse): void {
    const root = this.opts.staticDir;
    if (!root || !existsSync(join(root, 'index.html'))) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The console has not been built. Run `npm run build`, then reload this page. The API is up at /api/health.');
      return;
    }
    const base = resolve(root);
    let file = normalize(join(base, decodeURIComponent(pathname)));
    if (!file.startsWith(base + sep) && file !== base) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(base, 'index.html');
    res.setHeader('Content-Type', MIME[extname(file)] ?? 'application/octet-stream');
    if (file.endsWith('index.html')) res.setHeader('Content-Security-Policy', CSP);
    res.end(readFileSync(file));
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
    let msg: { id?: unknown; call?: unknown; args?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch (e) {
      ws.send(JSON.stringify({ id: null, ok: false, error: errorDto(e) }));
      return;
    }
    const id = msg?.id ?? null;
    ws.send(JSON.stringify({ id, ...(await dispatch(this.opts.handlers, msg?.call, msg?.args)) }));
  }

  private broadcast(topic: PushTopic): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify({ push: topic, data: pushPayload(this.opts.handlers, topic) });
    for (const ws of this.clients) {
      // A console that cannot keep up skips pushes rather than buffering them without bound.
      if (ws.readyState === ws.OPEN && ws.bufferedAmount < 4 * 1024 * 1024) ws.send(text);
    }
  }

  close(): void {
    this.unsubscribe();
    for (const ws of this.clients) ws.terminate();
    this.wss.close();
    this.http.close();
  }
}
