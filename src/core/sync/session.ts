// Anti-entropy with one peer, as a pure state machine. Time comes in as `nowMs`; messages go out
// through `next()`, which the transport driver calls only while the link can take more, so a slow
// link slows the sender instead of growing a queue.
//
// A round: each side sends a short frontier digest. Equal digests mean the two nodes hold the same
// events. On a mismatch each side sends its full frontier; on a frontier, each side pushes what
// the other lacks (every author it holds: store-and-forward), in runs sized to the link and cut
// at signed heads, then sends its digest again. Pushes are read from the store lazily, one run
// at a time, so memory stays flat however far behind the peer is.
import { bytesEqual, toHex } from '../encoding/bytes';
import type { AuthorId } from '../events/event';
import { deltaFor, sameSeqs } from '../feed/frontier';
import { RunPlanner } from './run-planner';
import type { PeerInfo, SessionStats, SyncHost } from './host';
import type { SessionOptions } from './settings';
import type { IncomingRun, Rejection } from '../feed/ingest';
import { PROTOCOL_VERSION, WIRE_DIGEST_BYTES, type SyncMessage } from './messages';
import { TRANSIENT_REJECTIONS } from '../feed/ingest';

export interface Received {
  readonly runs: IncomingRun[];
}

export class SyncSession {
  peer: PeerInfo | null = null;
  /** The peer's frontier as it last reported it. */
  peerHeads: Map<AuthorId, number> | null = null;
  /** True when the peer's last digest equalled ours and we have nothing left to push. */
  inSync = false;
  readonly stats: SessionStats = { runsSent: 0, eventsSent: 0, runsReceived: 0, eventsReceived: 0, refusalsReceived: 0, lastHeardMs: null };
  readonly refused = new Map<AuthorId, { code: string; seq: number; untilMs: number }>();

  private readonly outbox: SyncMessage[] = [];
  private readonly planner: RunPlanner;
  private nextPokeMs = Number.NEGATIVE_INFINITY;
  private digestOwed = false;
  private announceAtMs: number | null = null;
  private lastAnnounceMs = Number.NEGATIVE_INFINITY;
  private lastDigestSentHex = '';
  private lastFrontierAnswer = { key: '', atMs: Number.NEGATIVE_INFINITY };
  private pushedSinceDigest = false;
  /** The peer's last digest, to tell equal frontiers with different heads (a fork) apart. */
  private peerDigest: Uint8Array | null = null;
  /** The peer's digest arrived since its last frontier (so they describe the same moment). */
  private peerDigestFresh = false;

  constructor(
    private readonly host: SyncHost,
    private readonly opts: SessionOptions,
  ) {
    this.planner = new RunPlanner(host, opts);
  }

  /** Opening messages: who we are and where we stand. */
  start(): void {
    this.outbox.push(this.hello());
    this.digestOwed = true;
  }

  private hello(): SyncMessage {
    return { type: 'hello', node: this.host.self, name: this.host.name, protocol: PROTOCOL_VERSION, ...(this.host.fleet ? { fleet: this.host.fleet } : {}) };
  }

  /**
   * Our frontier changed (we appended, or ingested from someone): tell the peer, but at most once
   * per `announceEveryMs`, so a stream of incoming runs does not become a stream of digests.
   */
  localChanged(nowMs: number): void {
    this.inSync = false;
    if (this.announceAtMs === null) {
      const jitter = (this.opts.announceJitterMs ?? 0) * this.rand();
      this.announceAtMs = Math.max(nowMs, this.lastAnnounceMs + this.opts.announceEveryMs) + jitter;
    }
  }

  /** When `next` will have something again if it has nothing now (for a wake-up timer). */
  nextWakeMs(): number | null {
    return this.announceAtMs;
  }

  /** Ask the peer where it stands (the periodic anti-entropy tick), at most every pokeEveryMs. */
  poke(nowMs: number): void {
    if (nowMs < this.nextPokeMs) return;
    this.nextPokeMs = nowMs + this.opts.pokeEveryMs * (0.75 + 0.5 * this.rand());
    this.digestOwed = true;
  }

  private rand(): number {
    return this.opts.random ? this.opts.random() : 0.5;
  }

  /** Whether the session has anything to send right now. */
  get wantsToSend(): boolean {
    return this.outbox.length > 0 || this.planner.pending || this.digestOwed;
  }

  receive(msg: SyncMessage, nowMs: number): Received {
    this.stats.lastHeardMs = nowMs;
    switch (msg.type) {
      case 'hello':
        this.peer = { node: msg.node, name: msg.name, fleet: msg.fleet ?? null };
        return { runs: [] };
      case 'digest':
        if (msg.helloWanted) this.outbox.push(this.hello());
        this.onDigest(msg.digest, nowMs);
        return { runs: [] };
      case 'frontier':
        this.onFrontier(msg.heads, nowMs);
        return { runs: [] };
      case 'run':
        this.stats.runsReceived++;
        this.stats.eventsReceived += msg.events.length;
        return { runs: [{ author: msg.author, events: msg.events, sig: msg.sig }] };
      case 'refuse':
        this.stats.refusalsReceived++;
        this.refused.set(msg.author, { code: msg.code, seq: msg.seq, untilMs: nowMs + this.opts.refuseBackoffMs });
        this.planner.drop(msg.author);
        return { runs: [] };
    }
  }

  /** Tell the peer which of its runs we refused, so it stops re-sending them. */
  reportRejections(rejections: readonly Rejection[]): void {
    for (const r of rejections) if (!TRANSIENT_REJECTIONS.has(r.code)) this.outbox.push({ type: 'refuse', author: r.author, seq: r.seq ?? 0, code: r.code });
  }

  private ourDigest(): Uint8Array {
    return this.host.digest().subarray(0, WIRE_DIGEST_BYTES);
  }

  private onDigest(theirs: Uint8Array, nowMs: number): void {
    this.peerDigest = theirs;
    this.peerDigestFresh = true;
    const ours = this.ourDigest();
    if (bytesEqual(theirs, ours.subarray(0, theirs.length))) {
      this.inSync = !this.planner.pending;
      if (this.lastDigestSentHex !== toHex(ours)) this.digestOwed = true;
      return;
    }
    this.inSync = false;
    const key = `${toHex(theirs)}/${toHex(ours)}`;
    if (key !== this.lastFrontierAnswer.key || nowMs - this.lastFrontierAnswer.atMs >= this.opts.frontierEveryMs) {
      this.lastFrontierAnswer = { key, atMs: nowMs };
      const heads = new Map<AuthorId, number>();
      for (const [a, h] of this.host.frontier()) heads.set(a, h.seq);
      this.outbox.push({ type: 'frontier', heads });
    }
  }

  private onFrontier(heads: ReadonlyMap<AuthorId, number>, nowMs: number): void {
    this.peerHeads = new Map(heads);
    for (const [a, r] of this.refused) if (r.untilMs <= nowMs) this.refused.delete(a);
    const behind = new Map<AuthorId, number>();
    const ours = this.host.frontier();
    for (const g of deltaFor(ours, this.peerHeads)) if (!this.refused.has(g.author)) behind.set(g.author, g.fromSeq - 1);
    this.planner.plan(behind);
    const digest = this.ourDigest();
    const fresh = this.peerDigestFresh;
    this.peerDigestFresh = false;
    if (fresh && behind.size === 0 && sameSeqs(ours, this.peerHeads) && this.peerDigest && !bytesEqual(this.peerDigest, digest.subarray(0, this.peerDigest.length))) {
      this.planner.planHeads([...ours.keys()].filter((a) => !this.refused.has(a)));
    }
    if (!this.planner.pending) this.digestOwed = true;
  }

  /** The next message to send, or null when there is nothing to say. */
  next(nowMs: number): SyncMessage | null {
    if (this.announceAtMs !== null && nowMs >= this.announceAtMs) {
      this.announceAtMs = null;
      this.lastAnnounceMs = nowMs;
      this.digestOwed = true;
    }
    const control = this.outbox.shift();
    if (control) return control;
    const run = this.nextRun();
    if (run) {
      this.pushedSinceDigest = true;
      return run;
    }
    if (this.digestOwed || this.pushedSinceDigest) {
      this.digestOwed = false;
      this.pushedSinceDigest = false;
      const digest = this.ourDigest();
      this.lastDigestSentHex = toHex(digest);
      return { type: 'digest', digest, feeds: this.host.frontier().size, ...(this.peer ? {} : { helloWanted: true }) };
    }
    return null;
  }

  private nextRun(): SyncMessage | null {
    const run = this.planner.next();
    if (run) {
      this.stats.runsSent++;
      this.stats.eventsSent += run.events.length;
    }
    return run;
  }

  /** Whether the peer holds author's event at `seq`, from its last frontier (null: it told none yet). */
  holds(author: AuthorId, seq: number): boolean | null {
    if (this.inSync) return true;
    return this.peerHeads ? (this.peerHeads.get(author) ?? 0) >= seq : null;
  }

  /** Events the peer lacks of ours and we lack of theirs, from its last reported frontier. */
  lacks(): { weLack: number; theyLack: number } | null {
    if (this.inSync) return { weLack: 0, theyLack: 0 };
    if (!this.peerHeads) return null;
    let weLack = 0;
    let theyLack = 0;
    const ours = this.host.frontier();
    for (const [a, h] of ours) theyLack += Math.max(0, h.seq - (this.peerHeads.get(a) ?? 0));
    for (const [a, s] of this.peerHeads) weLack += Math.max(0, s - (ours.get(a)?.seq ?? 0));
    return { weLack, theyLack };
  }

  /** Events still queued to push (for progress bars). */
  get queuedEvents(): number {
    return this.planner.queuedEvents;
  }
}
