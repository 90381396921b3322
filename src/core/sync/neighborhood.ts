// Anti-entropy over a broadcast medium (a LoRa channel). Everyone in range hears every frame, so
// one session serves all neighbours: one digest says where we stand to all of them, one frontier
// answers all who differ, and each run is sent once, for the neighbour furthest behind; whoever
// else lacks it stores it too. Beliefs about each neighbour's frontier are kept separately and
// corrected by what they report. Pure: time comes in as `nowMs`, frames go out through `next`.
import { bytesEqual, toHex } from '../encoding/bytes';
import type { AuthorId } from '../events/event';
import type { IncomingRun, Rejection } from '../feed/ingest';
import { PROTOCOL_VERSION, WIRE_DIGEST_BYTES, type SyncMessage } from './messages';
import type { PeerInfo, SessionStats, SyncHost } from './host';
import type { SessionOptions } from './settings';
import { RunPlanner } from './run-planner';
import { sameSeqs } from '../feed/frontier';
import { TRANSIENT_REJECTIONS } from '../feed/ingest';

export interface NeighborState {
  peer: PeerInfo | null;
  /** Its frontier as last reported, raised by what we sent it since. */
  heads: Map<AuthorId, number> | null;
  inSync: boolean;
  /** Its last digest, to tell equal frontiers with different heads (a fork) apart. */
  digest: Uint8Array | null;
  /**
   * Our digest when this neighbour last reported the same seqs as ours with a different digest.
   * Seen twice with nothing changed on our side, it is a fork of equal length, not a race.
   */
  forkSuspect: string | null;
  /** Its digest arrived since its last frontier (so the two describe the same moment). */
  digestFresh: boolean;
  readonly stats: SessionStats;
  readonly refused: Map<AuthorId, { code: string; seq: number; untilMs: number }>;
}

// Defaults for the broadcast-only timings when the options leave them out (SF9/125 kHz pace).
const HELLO_EVERY_MS = 60_000;
const SUPPRESS_MS = 45_000;
const LISTEN_MS = 4_000;

interface Heard {
  readonly from: number;
  readonly to: number;
  readonly atMs: number;
}

export class NeighborhoodSession {
  readonly neighbors = new Map<string, NeighborState>();
  /** Runs neighbours broadcast recently, per author: ours would be a repeat. */
  private readonly heard = new Map<AuthorId, Heard[]>();
  private runsNotBeforeMs = 0;
  private helloAtMs: number | null = 0;
  private lastHelloMs = Number.NEGATIVE_INFINITY;
  suppressedRuns = 0;
  private readonly outbox: SyncMessage[] = [];
  private readonly planner: RunPlanner;
  private digestOwed = false;
  private frontierOwedAtMs: number | null = null;
  private lastFrontierMs = Number.NEGATIVE_INFINITY;
  private nextPokeMs = Number.NEGATIVE_INFINITY;
  private announceAtMs: number | null = null;
  private lastAnnounceMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly host: SyncHost,
    private readonly opts: SessionOptions,
  ) {
    this.planner = new RunPlanner(host, opts);
  }

  private get suppressMs(): number {
    return this.opts.suppressMs ?? SUPPRESS_MS;
  }

  private rand(): number {
    return this.opts.random ? this.opts.random() : 0.5;
  }

  /** One hello soon, but never more than one per HELLO_EVERY_MS however many ask. */
  private oweHello(): void {
    if (this.helloAtMs !== null) return;
    this.helloAtMs = this.lastHelloMs + (this.opts.helloEveryMs ?? HELLO_EVERY_MS) * (0.75 + 0.5 * this.rand());
  }

  neighbor(id: string): NeighborState {
    let n = this.neighbors.get(id);
    if (!n) {
      n = { peer: null, heads: null, inSync: false, digest: null, forkSuspect: null, digestFresh: false, stats: { runsSent: 0, eventsSent: 0, runsReceived: 0, eventsReceived: 0, refusalsReceived: 0, lastHeardMs: null }, refused: new Map() };
      this.neighbors.set(id, n);
      this.oweHello(); // someone new: say who we are
    }
    return n;
  }

  forget(id: string): void {
    this.neighbors.delete(id);
  }

  localChanged(nowMs: number): void {
    for (const n of this.neighbors.values()) n.inSync = false;
    if (this.announceAtMs === null) {
      this.announceAtMs = Math.max(nowMs, this.lastAnnounceMs + this.opts.announceEveryMs) + (this.opts.announceJitterMs ?? 0) * this.rand();
    }
  }

  poke(nowMs: number): void {
    if (nowMs < this.nextPokeMs) return;
    this.nextPokeMs = nowMs + this.opts.pokeEveryMs * (0.75 + 0.5 * this.rand());
    this.digestOwed = true;
  }

  nextWakeMs(): number | null {
    const runsAt = this.planner.pending ? this.runsNotBeforeMs : null;
    const times = [this.announceAtMs, this.frontierOwedAtMs, this.helloAtMs, runsAt].filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  }

  receive(from: string, msg: SyncMessage, nowMs: number): { runs: IncomingRun[] } {
    const n = this.neighbor(from);
    n.stats.lastHeardMs = nowMs;
    switch (msg.type) {
      case 'hello':
        n.peer = { node: msg.node, name: msg.name, fleet: msg.fleet ?? null };
        return { runs: [] };
      case 'digest': {
        if (msg.helloWanted) this.oweHello();
        const ours = this.host.digest().subarray(0, WIRE_DIGEST_BYTES);
        n.digest = msg.digest;
        n.digestFresh = true;
        n.inSync = bytesEqual(msg.digest, ours.subarray(0, msg.digest.length));
        if (n.inSync) n.heads = this.ourHeads();
        else this.oweFrontier(nowMs);
        return { runs: [] };
      }
      case 'frontier':
        n.heads = new Map(msg.heads);
        this.checkEqualFork(n, msg.heads);
        // A neighbour that still lacks a range heard a while ago was out of earshot of whoever
        // sent it: that range must not be suppressed any more.
        for (const [author, list] of this.heard) {
          const has = msg.heads.get(author) ?? 0;
          this.heard.set(author, list.filter((h) => h.to <= has || nowMs - h.atMs < 3000));
        }
        for (const [a, r] of n.refused) if (r.untilMs <= nowMs) n.refused.delete(a);
        this.replan(nowMs);
        return { runs: [] };
      case 'run': {
        n.stats.runsReceived++;
        n.stats.eventsReceived += msg.events.length;
        const from = msg.events[0]!.seq;
        const to = msg.events[msg.events.length - 1]!.seq;
        // The sender holds what it sent; and whoever heard it does not need it from us.
        if (n.heads && !msg.withPrev) n.heads.set(msg.author, Math.max(n.heads.get(msg.author) ?? 0, to));
        const list = (this.heard.get(msg.author) ?? []).filter((h) => nowMs - h.atMs < this.suppressMs);
        list.push({ from, to, atMs: nowMs });
        this.heard.set(msg.author, list);
        return { runs: [{ author: msg.author, events: msg.events, sig: msg.sig }] };
      }
      case 'refuse':
        n.stats.refusalsReceived++;
        n.refused.set(msg.author, { code: msg.code, seq: msg.seq, untilMs: nowMs + this.opts.refuseBackoffMs });
        this.replan(nowMs);
        return { runs: [] };
    }
  }

  reportRejections(rejections: readonly Rejection[]): void {
    for (const r of rejections) if (!TRANSIENT_REJECTIONS.has(r.code)) this.outbox.push({ type: 'refuse', author: r.author, seq: r.seq ?? 0, code: r.code });
  }

  private ourHeads(): Map<AuthorId, number> {
    const out = new Map<AuthorId, number>();
    for (const [a, h] of this.host.frontier()) out.set(a, h.seq);
    return out;
  }

  /** A frontier answers every neighbour that differs; several mismatches within the wait share it. */
  private oweFrontier(nowMs: number): void {
    if (this.frontierOwedAtMs !== null) return;
    this.frontierOwedAtMs = Math.max(nowMs + 500 + 2000 * this.rand(), this.lastFrontierMs + this.opts.frontierEveryMs);
  }

  /**
   * A neighbour reports exactly our seqs while its digest differs: different heads somewhere (a
   * fork of equal length), or only a race on a busy channel (it or we moved on in between). Twice
   * in a row with nothing changed here, it is the fork: send every head, each proves its side.
   */
  private checkEqualFork(n: NeighborState, reported: ReadonlyMap<AuthorId, number>): void {
    const ours = this.host.frontier();
    const digest = this.host.digest().subarray(0, WIRE_DIGEST_BYTES);
    const fresh = n.digestFresh;
    n.digestFresh = false;
    if (!n.digest || !fresh || !sameSeqs(ours, reported) || bytesEqual(n.digest, digest.subarray(0, n.digest.length))) {
      n.forkSuspect = null;
      return;
    }
    const key = toHex(digest);
    if (n.forkSuspect === key) {
      n.forkSuspect = null;
      this.planner.planHeads(ours.keys());
    } else {
      n.forkSuspect = key;
    }
  }

  /** What to send: for each author, from the most-behind neighbour that has told us its frontier. */
  private replan(nowMs: number): void {
    // Listen first: a neighbour may be about to send the same runs (then ours are suppressed).
    if (!this.planner.pending) this.runsNotBeforeMs = nowMs + (this.opts.listenMs ?? LISTEN_MS) * (0.5 + this.rand());
    const ours = this.host.frontier();
    const behind = new Map<AuthorId, number>();
    for (const [author, head] of ours) {
      let min = head.seq;
      for (const n of this.neighbors.values()) {
        if (!n.heads || n.refused.has(author)) continue;
        min = Math.min(min, n.heads.get(author) ?? 0);
      }
      if (min < head.seq) behind.set(author, min);
    }
    this.planner.plan(behind);
  }

  /** After a broadcast run, every neighbour that could chain it now holds it (until it says not). */
  private believeSent(author: AuthorId, fromSeq: number, toSeq: number): void {
    for (const n of this.neighbors.values()) {
      if (!n.heads) continue;
      const has = n.heads.get(author) ?? 0;
      // A neighbour holding the seq below the run can apply it; one further behind keeps it
      // pending (a newest-first run) and still needs the gap.
      if (has >= fromSeq - 1) n.heads.set(author, Math.max(has, toSeq));
      n.stats.runsSent++;
      n.stats.eventsSent += toSeq - fromSeq + 1;
    }
  }

  /** True when a neighbour broadcast this range (or one covering it) moments ago. */
  private recentlyHeard(author: AuthorId, from: number, to: number, nowMs: number): boolean {
    return (this.heard.get(author) ?? []).some((h) => nowMs - h.atMs < this.suppressMs && h.from <= from && h.to >= to);
  }

  next(nowMs: number): SyncMessage | null {
    if (this.helloAtMs !== null && nowMs >= this.helloAtMs) {
      this.helloAtMs = null;
      this.lastHelloMs = nowMs;
      return { type: 'hello', node: this.host.self, name: this.host.name, protocol: PROTOCOL_VERSION };
    }
    const control = this.outbox.shift();
    if (control) return control;
    if (this.frontierOwedAtMs !== null && nowMs >= this.frontierOwedAtMs) {
      this.frontierOwedAtMs = null;
      this.lastFrontierMs = nowMs;
      return { type: 'frontier', heads: this.ourHeads() };
    }
    if (nowMs >= this.runsNotBeforeMs) {
      for (let run = this.planner.next(); run; run = this.planner.next()) {
        const from = run.events[0]!.seq;
        const to = run.events[run.events.length - 1]!.seq;
        if (this.recentlyHeard(run.author, from, to, nowMs)) {
          this.suppressedRuns++;
          continue; // someone just said it; anyone who still lacks it will tell us
        }
        this.believeSent(run.author, from, to);
        return run;
      }
    }
    if (this.announceAtMs !== null && nowMs >= this.announceAtMs) {
      this.announceAtMs = null;
      this.lastAnnounceMs = nowMs;
      this.digestOwed = true;
    }
    if (this.digestOwed) {
      this.digestOwed = false;
      const unknown = [...this.neighbors.values()].some((n) => n.peer === null);
      return { type: 'digest', digest: this.host.digest().subarray(0, WIRE_DIGEST_BYTES), feeds: this.host.frontier().size, ...(unknown ? { helloWanted: true } : {}) };
    }
    return null;
  }

  get wantsToSend(): boolean {
    return this.helloAtMs !== null || this.outbox.length > 0 || this.planner.pending || this.digestOwed;
  }

  get queuedEvents(): number {
    return this.planner.queuedEvents;
  }

  /** What one neighbour lacks of ours and we of its, from its last report. */
  /** Whether neighbour `id` holds author's event at `seq`, from its last frontier (null: unknown). */
  holdsOf(id: string, author: string, seq: number): boolean | null {
    const n = this.neighbors.get(id);
    if (!n) return null;
    if (n.inSync) return true;
    return n.heads ? (n.heads.get(author) ?? 0) >= seq : null;
  }

  lacksOf(id: string): { weLack: number; theyLack: number } | null {
    const n = this.neighbors.get(id);
    if (!n) return null;
    if (n.inSync) return { weLack: 0, theyLack: 0 };
    if (!n.heads) return null;
    const ours = this.host.frontier();
    let weLack = 0;
    let theyLack = 0;
    for (const [a, h] of ours) theyLack += Math.max(0, h.seq - (n.heads.get(a) ?? 0));
    for (const [a, s] of n.heads) weLack += Math.max(0, s - (ours.get(a)?.seq ?? 0));
    return { weLack, theyLack };
  }
}
