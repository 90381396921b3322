// The intake alone on its own address (`--ingest-host`/`--ingest-port`): the signed routes and
// GET /api/health, nothing of the console. Same limits and guards as the console server: no
// request can stop the node.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HTTP_LIMITS, sendError, splitTarget, type IntakeRoutes } from '../api/console-server';
import { MandalaError } from '../errors';

export interface IntakeServerOptions {
  readonly intake: IntakeRoutes;
  readonly version: string;
}

export function createIntakeServer(opts: IntakeServerOptions): Server {
  const server = createServer(HTTP_LIMITS, (req: IncomingMessage, res: ServerResponse) => {
    try {
      const { path } = splitTarget(req.url);
      if (opts.intake.handles(path)) return opts.intake.handle(req, res);
      if (path === '/api/health') {
        // A buffer that cannot be reached makes this process useless: a load balancer must hear so.
        const intake = opts.intake.stats();
        const ok = (intake as { reachable?: unknown }).reachable !== false;
        res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' });
        return void res.end(JSON.stringify({ ok, version: opts.version, intake }));
      }
      sendError(res, 404, 'not_found', 'this address serves the telemetry intake only (POST /ingest/v1/positions)');
    } catch {
      if (!res.headersSent) sendError(res, 400, 'bad_request', 'the request could not be handled');
      else res.destroy();
    }
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  return server;
}

/** Listens and resolves the bound port; a busy port is named with the flag that chose it. */
export function listenHttp(server: Server, host: string, port: number, flag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'EADDRINUSE' ? new MandalaError('port_busy', `port ${port} on ${host} is already in use; choose another with ${flag}`) : e);
    });
    server.listen(port, host, () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
