// The LAN transport: sync links over TCP. It accepts sockets (from a PortMux, or its own
// listener) and dials peers, keeping configured peers connected with exponential backoff.
//
// Every connection opens with a Noise XX handshake over the nodes' Ed25519 identities (the
// well-kept @hyperswarm/secret-stream): each side proves the key it claims, and everything after
// is encrypted and authenticated, so a peer row always belongs to the key that holds it. Budgets:
// a handshake must finish in time, a link silent too long is closed, messages are bounded before
// they are buffered (frame-guard.ts), and the number of links is capped.
import { connect, type Socket } from 'node:net';
import NoiseSecretStream from '@hyperswarm/secret-stream';
import type { Scheduler, TimerHandle } from '../../../core/clock/scheduler';
import { Emitter } from '../../../core/util/emitter';
import type { Link, Transport, TransportEvents } from '../../../core/sync/transport';
import { MandalaError } from '../../errors';
import { toHex } from '../../../core/encoding/bytes';
import { SYNC_PREFACE } from './framing';
import { FrameGuard } from './frame-guard';
import { PortMux } from './port-mux';
import { TcpLink } from './tcp-link';

export const LAN_MTU = 4 * 1024 * 1024;

/** The node's Noise static keys: its Ed25519 identity (secretKey is seed + public key, as libsodium keeps it). */
export interface LanKeyPair {
  readonly publicKey: Buffer;
  readonly secretKey: Buffer;
}

/** Handshake messages are small: anything bigger before the handshake is an attack. */
const HANDSHAKE_MESSAGE_LIMIT = 1024;
/** Encryption adds a tag and a header per message. */
const CIPHER_OVERHEAD = 64;

export interface LanTransportOptions {
  readonly scheduler: Scheduler;
  /** Listen on its own (tests, or a node without a console). */
  readonly listen?: { host: string; port: number };
  /** host:port peers to keep connected. */
  readonly peers?: readonly string[];
  readonly mtu?: number;
  readonly dialTimeoutMs?: number;
  /** This node's identity keys, for the handshake. */
  readonly keyPair: LanKeyPair;
  /** A handshake not done by then ends the connection. */
  readonly handshakeTimeoutMs?: number;
  /** A link that hears nothing (not even a keep-alive) this long is closed. */
  readonly idleTimeoutMs?: number;
  /** At most this many sync links at once; more are refused. */
  readonly maxLinks?: number;
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
  private handshaking = 0;
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

  /** Runs the handshake over a connected socket; resolves with the link once the peer proved its key. */
  private secure(socket: Socket, label: string, initiator: boolean): Promise<Link> {
    const problem = (code: string, message: string) => this.events.emit('problem', code, message);
    return new Promise((resolve, reject) => {
      if (this.live.size + this.handshaking >= (this.opts.maxLinks ?? 64)) {
        socket.destroy();
        problem('too_many_connections', `refused a sync connection from ${label}: ${this.live.size} links are open already (the cap)`);
        return reject(new MandalaError('too_many_connections', `${label} refused the connection: it has too many open`));
      }
      let secured = false;
      const guard = new FrameGuard(
        socket,
        () => (secured ? this.mtu + CIPHER_OVERHEAD : HANDSHAKE_MESSAGE_LIMIT),
        (claimed, limit) => problem('frame_too_large', `${label}: peer announced a ${claimed}-byte frame; the limit is ${limit}; connection closed`),
      );
      const stream = new NoiseSecretStream(initiator, guard, { keyPair: this.opts.keyPair });
      this.handshaking++;
      const done = () => {
        this.handshaking--;
        timer.cancel();
      };
      const timer = this.opts.scheduler.after(this.opts.handshakeTimeoutMs ?? 10_000, () => {
        stream.destroy();
        problem('handshake_timeout', `${label} did not finish the handshake in time; connection closed`);
      });
      stream.once('error', (e: Error) => {
        if (secured) return;
        done();
        reject(new MandalaError('handshake_failed', `the handshake with ${label} failed (${e.message}); is it a Mandala node of a compatible version?`));
      });
      stream.once('close', () => {
        if (secured) return;
        done();
        reject(new MandalaError('handshake_failed', `${label} closed the connection during the handshake`));
      });
      stream.once('connect', () => {
        secured = true;
        done();
        const idle = this.opts.idleTimeoutMs ?? 60_000;
        stream.setKeepAlive(Math.max(100, Math.floor(idle / 3)));
        stream.setTimeout(idle);
        const peerKey = toHex(new Uint8Array(stream.remotePublicKey!));
        const link = new TcpLink(`lan:${label}#${++this.seq}`, label, this.mtu, stream, peerKey, problem);
        this.live.add(link);
        link.events.on('close', () => this.live.delete(link));
        this.events.emit('link', link);
        resolve(link);
      });
    });
  }

  /** Takes a socket whose sync preface has been read (from the PortMux). */
  accept(socket: Socket): void {
    this.secure(socket, `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`, false).catch(() => undefined);
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
        socket.on('error', () => socket.destroy());
        socket.write(SYNC_PREFACE);
        this.secure(socket, where, true).then(resolve, reject);
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
