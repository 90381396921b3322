// One TCP port for everything a serving node offers: the console (HTTP + WebSocket API) and LAN
// sync. Each connection is sniffed: one that opens with the sync preface is a sync link, anything
// else goes to the HTTP server untouched. So `mandala sync --peer HOST:PORT` and a browser use
// the same address, and a base camp opens one port in its firewall.
import { createServer, type Server, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { MandalaError } from '../../errors';
import { SYNC_PREFACE } from './framing';

export interface PortMuxOptions {
  readonly host: string;
  readonly port: number;
  readonly onSync: (socket: Socket) => void;
  readonly http?: HttpServer;
}

export class PortMux {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly opts: PortMuxOptions) {}

  /** Listens; resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    const server = createServer((socket) => this.route(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE') {
          reject(new MandalaError('port_busy', `port ${this.opts.port} on ${this.opts.host} is already in use (another Mandala or another program holds it); stop it or choose another port with --port`));
        } else if (e.code === 'EACCES') {
          reject(new MandalaError('port_denied', `not allowed to listen on ${this.opts.host}:${this.opts.port}; ports below 1024 need privileges, so choose another with --port`));
        } else if (e.code === 'EADDRNOTAVAIL') {
          reject(new MandalaError('host_unavailable', `this machine has no address ${this.opts.host}; use 127.0.0.1, 0.0.0.0 or one of its own addresses with --host`));
        } else reject(e);
      });
      server.listen(this.opts.port, this.opts.host, () => {
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : this.opts.port);
      });
    });
  }

  private route(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    let seen = Buffer.alloc(0);
    const onData = (data: Buffer) => {
      seen = Buffer.concat([seen, data]);
      if (seen.length < SYNC_PREFACE.length && SYNC_PREFACE.subarray(0, seen.length).equals(seen)) return;
      socket.off('data', onData);
      socket.pause();
      if (seen.subarray(0, SYNC_PREFACE.length).equals(SYNC_PREFACE)) {
        const rest = seen.subarray(SYNC_PREFACE.length);
        if (rest.length) socket.unshift(rest);
        this.opts.onSync(socket);
      } else if (this.opts.http) {
        socket.unshift(seen);
        this.opts.http.emit('connection', socket);
      } else {
        socket.destroy();
      }
      socket.resume();
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.server = null;
    });
  }
}
