// An in-memory network for tests, simulations and the demo mesh. Links are FIFO pipes with seeded
// latency and loss, a per-link queue limit (a full link refuses sends and later emits drain), and
// partitions that close the links crossing them and rewire them on heal. With a VirtualScheduler
// every run replays exactly from its seed.
import type { Scheduler } from '../../core/clock/scheduler';
import { SeededRandom } from '../../core/util/random';
import { Emitter } from '../../core/util/emitter';
import type { Link, LinkEvents, LinkQuality, Transport, TransportEvents } from '../../core/sync/transport';

export interface MemoryNetworkOptions {
  readonly scheduler: Scheduler;
  readonly seed?: number;
  readonly latencyMs?: readonly [number, number];
  /** Probability that a message is silently lost. */
  readonly loss?: number;
  readonly mtu?: number;
  /** Messages in flight per direction before `send` refuses. */
  readonly queueLimit?: number;
}

class MemoryLink implements Link {
  readonly kind = 'memory' as const;
  readonly events = new Emitter<LinkEvents>();
  closed = false;
  inFlight = 0;
  peer: MemoryLink | null = null;
  private lastDeliverAt = 0;
  private wantsDrain = false;

  constructor(
    readonly id: string,
    readonly label: string,
    readonly mtu: number,
    private readonly net: MemoryNetwork,
  ) {}

  get writable(): boolean {
    return !this.closed && this.inFlight < this.net.queueLimit;
  }

  send(bytes: Uint8Array): boolean {
    if (this.closed || bytes.length > this.mtu) return false;
    if (!this.writable) {
      this.wantsDrain = true;
      return false;
    }
    this.inFlight++;
    const now = this.net.scheduler.nowMs();
    const at = Math.max(now + this.net.latency(), this.lastDeliverAt);
    this.lastDeliverAt = at;
    const copy = bytes.slice();
    const lost = this.net.lose();
    this.net.scheduler.after(at - now, () => {
      this.inFlight--;
      if (!lost && !this.closed && this.peer && !this.peer.closed) this.peer.events.emit('message', copy);
      if (this.wantsDrain && this.writable) {
        this.wantsDrain = false;
        this.events.emit('drain');
      }
    });
    return true;
  }

  close(reason = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    this.events.emit('close', reason);
    this.peer?.close(reason);
  }

  quality(): LinkQuality {
    return {};
  }
}

export class MemoryTransport implements Transport {
  readonly kind = 'memory' as const;
  readonly events = new Emitter<TransportEvents>();
  running = false;

  constructor(readonly name: string) {}

  async start(): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
  }
}

export class MemoryNetwork {
  readonly scheduler: Scheduler;
  readonly queueLimit: number;
  private readonly rng: SeededRandom;
  private readonly transports = new Map<string, MemoryTransport>();
  private readonly wires = new Map<string, [string, string]>();
  private readonly live = new Map<string, MemoryLink>();
  private groups: string[][] | null = null;
  private linkSeq = 0;

  constructor(private readonly opts: MemoryNetworkOptions) {
    this.scheduler = opts.scheduler;
    this.queueLimit = opts.queueLimit ?? 64;
    this.rng = new SeededRandom(opts.seed ?? 1);
  }

  latency(): number {
    const [lo, hi] = this.opts.latencyMs ?? [1, 5];
    return this.rng.int(lo, hi);
  }

  lose(): boolean {
    return (this.opts.loss ?? 0) > 0 && this.rng.chance(this.opts.loss!);
  }

  /** The transport for a named node on this network. */
  transport(name: string): MemoryTransport {
    let t = this.transports.get(name);
    if (!t) this.transports.set(name, (t = new MemoryTransport(name)));
    return t;
  }

  private wireKey(a: string, b: string): string {
    return a < b ? `${a}|${b}` : `${b}|${a}`;
  }

  private reachable(a: string, b: string): boolean {
    if (!this.groups) return true;
    return this.groups.some((g) => g.includes(a) && g.includes(b));
  }

  /** Wires two nodes together; they get a link pair now (if reachable) and after every heal. */
  connect(a: string, b: string): void {
    const key = this.wireKey(a, b);
    this.wires.set(key, [a, b]);
    this.open(key);
  }

  private open(key: string): void {
    const [a, b] = this.wires.get(key)!;
    if (this.live.has(key) || !this.reachable(a, b)) return;
    const ta = this.transport(a);
    const tb = this.transport(b);
    if (!ta.running || !tb.running) return;
    const mtu = this.opts.mtu ?? 1024 * 1024;
    const n = ++this.linkSeq;
    const la = new MemoryLink(`mem:${b}#${n}`, b, mtu, this);
    const lb = new MemoryLink(`mem:${a}#${n}`, a, mtu, this);
    la.peer = lb;
    lb.peer = la;
    la.events.on('close', () => this.live.get(key) === la && this.live.delete(key));
    this.live.set(key, la);
    ta.events.emit('link', la);
    tb.events.emit('link', lb);
  }

  /** Splits the network: only nodes in the same group can talk. Crossing links close. */
  partition(groups: string[][]): void {
    this.groups = groups.map((g) => [...g]);
    for (const [key, link] of [...this.live]) {
      const [a, b] = this.wires.get(key)!;
      if (!this.reachable(a, b)) link.close('partitioned');
    }
    for (const key of this.wires.keys()) this.open(key);
  }

  /** Removes every partition and rewires every wire. */
  heal(): void {
    this.groups = null;
    for (const key of this.wires.keys()) this.open(key);
  }

  /** Rewires wires whose links closed (e.g. after both ends started). */
  reconnectAll(): void {
    for (const key of this.wires.keys()) this.open(key);
  }
}
