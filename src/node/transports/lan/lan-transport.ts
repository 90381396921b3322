// The LAN transport: sync links over TCP. It accepts sockets (from a PortMux, or its own
// listener) and dials peers, keeping configured peers connected with exponential backoff.
import { connect, type Socket } from 'node:net';
import type { Scheduler, TimerHandle } from '../../../core/clock/scheduler';
import { Emitter } from '../../../core/util/emitter';
import type { Link, Transport, TransportEvents } from '../../../core/sync/transport';
import { MandalaError } from '../../errors';
import { SYNC_PREFACE } from './framing';
import { PortMux } from './port-mux';
import { TcpLink } from './tcp-link';

export const LAN_MTU = 4 * 1024 * 1024;

export interface LanTransportOptions {
  readonly scheduler: Scheduler;
  /** Listen on its own (tests, or a node without a console). */
  readonly listen?: { host: string; port: number };
  /** host:port peers to keep connected. */
  readonly peers?: readonly string[];
  readonly mtu?: number;
  readonly dialTimeoutMs?: number;
}

export function parseHostPort(hostPort: string, defaultPort = 7420): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(hostPort.trim());
  const port = m?.[2] ? Number(m[2]) : defaultPort;
  if (!m || !m[1] || port < 1 || port > 65535) {
    throw new MandalaError('bad_address', `"${hostPort}" is not HOST:PORT (for example 192.168.1.20:7420)`);
  }
  return { host: m[1], port };
}

function dialError(e: NodeJS.ErrnoException, where: string, timeoutMs: number): MandalaError {
  switch (e.code) {
    case 'ECONNREFUSED':
      return new MandalaError('peer_unreachable', `nothing is listening at ${where} (connection refused): is \`mandala serve\` running there, with --host set so it accepts LAN connections?`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new MandalaError('peer_unknown_host', `cannot resolve the host in ${where}; check the name or use an IP address`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new MandalaError('peer_unreachable', `${where} did not answer within ${Math.round(timeoutMs / 1000)} s; check the address and that both machines share a network`);
    default:
      return new MandalaError('peer_unreachable', `cannot connect to ${where}: ${e.message}`);
  }
}

export class LanTransport implements Transport {
  readonly kind = 'lan' as const;
  readonly events = new Emitter<TransportEvents>();
  private mux: PortMux | null = null;
  private seq = 0;
  private stopped = false;
  private readonly retries = new Map<string, TimerHandle>();
  private readonly live = new Set<Link>();
  boundPort: number | null = null;

  constructor(private readonly opts: LanTransportOptions) {}

  get mtu(): number {
    return this.opts.mtu ?? LAN_MTU;
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (this.opts.listen) {
      this.mux = new PortMux({ ...this.opts.listen, onSync: (s) => this.accept(s) });
      this.boundPort = await this.mux.listen();
    }
    for (const p of this.opts.peers ?? []) this.keepConnected(p, 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.retries.values()) t.cancel();
    this.retries.clear();
    for (const link of [...this.live]) link.close('node_stopping');
    await this.mux?.close();
  }

  private wrap(socket: Socket, label: string): Link {
    const link = new TcpLink(`lan:${label}#${++this.seq}`, label, this.mtu, socket, (code, msg) => this.events.emit('problem', code, msg));
    this.live.add(link);
    link.events.on('close', () => this.live.delete(link));
    this.events.emit('link', link);
    return link;
  }

  /** Takes a socket whose sync preface has been read (from the PortMux). */
  accept(socket: Socket): Link {
    return this.wrap(socket, `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`);
  }

  /** Dials a peer once. Rejects with a MandalaError a person can act on. */
  dial(hostPort: string): Promise<Link> {
    const { host, port } = parseHostPort(hostPort);
    const where = `${host}:${port}`;
    const timeoutMs = this.opts.dialTimeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = this.opts.scheduler.after(timeoutMs, () => {
        socket.destroy();
        reject(dialError(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }), where, timeoutMs));
      });
      socket.once('error', (e: NodeJS.ErrnoException) => {
        timer.cancel();
        reject(dialError(e, where, timeoutMs));
      });
      socket.once('connect', () => {
        timer.cancel();
        socket.removeAllListeners('error');
        socket.write(SYNC_PREFACE);
        resolve(this.wrap(socket, where));
      });
    });
  }

  /** Whether a live link already reaches this host (either direction). */
  hasLinkTo(host: string): boolean {
    const bare = (h: string) => h.replace(/^::ffff:/, '');
    return [...this.live].some((l) => bare(l.label.slice(0, l.label.lastIndexOf(':'))) === bare(host));
  }

  /** Dials once (for discovery): failures are reported, and the next announcement retries. */
  dialOnce(hostPort: string): void {
    if (this.stopped) return;
    this.dial(hostPort).catch((e: Error) => this.events.emit('problem', (e as MandalaError).code ?? 'peer_unreachable', e.message));
  }

  /** Dials `hostPort` and redials with backoff whenever the link drops. */
  private keepConnected(hostPort: string, delayMs: number): void {
    if (this.stopped) return;
    this.dial(hostPort).then(
      (link) => {
        link.events.on('close', () => this.scheduleRedial(hostPort, 1000));
      },
      (e: Error) => {
        this.events.emit('problem', (e as MandalaError).code ?? 'peer_unreachable', e.message);
        this.scheduleRedial(hostPort, Math.min(delayMs * 2, 30_000));
      },
    );
  }

  private scheduleRedial(hostPort: string, delayMs: number): void {
    if (this.stopped) return;
    this.retries.get(hostPort)?.cancel();
    this.retries.set(hostPort, this.opts.scheduler.after(delayMs, () => this.keepConnected(hostPort, delayMs)));
  }
}
