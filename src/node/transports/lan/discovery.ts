// Finding peers on the local network, the way Reticulum's AutoInterface does: every serving node
// announces itself on a site-local multicast group (node id, sync port, name), and nodes that hear
// an announcement dial the announcer over TCP. To avoid two connections per pair, the node with the
// lower id dials; the higher one dials only if the lower stays silent. Announcements need no trust:
// everything that travels afterwards is signed.
import { createSocket, type Socket } from 'node:dgram';
import type { Scheduler, TimerHandle } from '../../../core/clock/scheduler';
import { hexToBytes, toHex, utf8Decode, utf8Encode } from '../../../core/encoding/bytes';
import { SeededRandom, hashString } from '../../../core/util/random';

export const DISCOVERY_GROUP = '239.255.74.20';
export const DISCOVERY_PORT = 7421;
const MAGIC = utf8Encode('MNDLd1');

export interface DiscoveryOptions {
  readonly scheduler: Scheduler;
  readonly self: string;
  readonly name: string;
  /** The TCP port this node accepts sync on (null: listen only, never announce). */
  readonly syncPort: number | null;
  readonly group?: string;
  readonly port?: number;
  readonly everyMs?: number;
  /** Called with host:port of a peer to connect to. */
  readonly dial: (hostPort: string, node: string) => void;
  /** Whether a peer node (by id) or address is already connected. */
  readonly connected: (node: string, host: string) => boolean;
  readonly onProblem?: (code: string, message: string) => void;
}

export function encodeAnnouncement(node: string, port: number, name: string): Uint8Array {
  const n = utf8Encode(name).subarray(0, 64);
  const out = new Uint8Array(MAGIC.length + 32 + 2 + 1 + n.length);
  out.set(MAGIC, 0);
  out.set(hexToBytes(node), MAGIC.length);
  out[MAGIC.length + 32] = port >> 8;
  out[MAGIC.length + 33] = port & 0xff;
  out[MAGIC.length + 34] = n.length;
  out.set(n, MAGIC.length + 35);
  return out;
}

export function decodeAnnouncement(b: Uint8Array): { node: string; port: number; name: string } | null {
  if (b.length < MAGIC.length + 35 || !MAGIC.every((x, i) => b[i] === x)) return null;
  const len = b[MAGIC.length + 34]!;
  if (b.length !== MAGIC.length + 35 + len) return null;
  const port = (b[MAGIC.length + 32]! << 8) | b[MAGIC.length + 33]!;
  if (port === 0) return null;
  try {
    return { node: toHex(b.subarray(MAGIC.length, MAGIC.length + 32)), port, name: utf8Decode(b.subarray(MAGIC.length + 35)) };
  } catch {
    return null;
  }
}

export class LanDiscovery {
  private socket: Socket | null = null;
  private timer: TimerHandle | null = null;
  private readonly rng: SeededRandom;
  /** When we first heard each peer that we (as the higher id) leave to dial us. */
  private readonly waiting = new Map<string, number>();
  heard = 0;

  constructor(private readonly opts: DiscoveryOptions) {
    this.rng = new SeededRandom(hashString(opts.self));
  }

  async start(): Promise<void> {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    this.socket = socket;
    socket.on('message', (msg, rinfo) => this.onMessage(new Uint8Array(msg), rinfo.address));
    socket.on('error', (e) => this.opts.onProblem?.('discovery_failed', `LAN discovery stopped: ${e.message}; peers can still be given with --peer`));
    await new Promise<void>((resolve) => {
      socket.bind(this.opts.port ?? DISCOVERY_PORT, () => {
        try {
          socket.addMembership(this.opts.group ?? DISCOVERY_GROUP);
          socket.setMulticastLoopback(true);
        } catch (e) {
          this.opts.onProblem?.('discovery_unavailable', `this network does not allow multicast (${(e as Error).message}); give peers with --peer instead`);
        }
        resolve();
      });
    });
    this.tick();
  }

  private tick(): void {
    this.announce();
    const every = this.opts.everyMs ?? 5000;
    this.timer = this.opts.scheduler.after(every * (0.75 + 0.5 * this.rng.next()), () => this.tick());
  }

  private announce(): void {
    if (!this.socket || this.opts.syncPort === null) return;
    this.socket.send(encodeAnnouncement(this.opts.self, this.opts.syncPort, this.opts.name), this.opts.port ?? DISCOVERY_PORT, this.opts.group ?? DISCOVERY_GROUP, () => {});
  }

  private onMessage(msg: Uint8Array, from: string): void {
    const a = decodeAnnouncement(msg);
    if (!a || a.node === this.opts.self) return;
    this.heard++;
    if (this.opts.connected(a.node, from)) {
      this.waiting.delete(a.node);
      return;
    }
    const now = this.opts.scheduler.nowMs();
    const lower = this.opts.self < a.node;
    if (!lower) {
      // The lower id should dial us; if it has not within a few announcements, we dial.
      const since = this.waiting.get(a.node);
      if (since === undefined) this.waiting.set(a.node, now);
      if (since === undefined || now - since < 3 * (this.opts.everyMs ?? 5000)) return;
    }
    this.waiting.delete(a.node);
    this.opts.dial(`${from}:${a.port}`, a.node);
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    const s = this.socket;
    this.socket = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
