// Anti-entropy over a broadcast medium (a LoRa channel). Everyone in range hears every frame, so
// one session serves all neighbours: one digest says where we stand to all of them, one frontier
// answers all who differ, and each run is sent once, for the neighbour furthest behind; whoever
// else lacks it stores it too. Beliefs about each neighbour's frontier are kept separately and
// corrected by what they report. A run counts as delivered only once the neighbour that lacked it
// says so (its digest equals ours, or its frontier covers it): after sending (or holding back a
// run a neighbour just sent) the session asks again with a digest, and a neighbour still lacking
// what it was sent has it again after a random backoff that doubles each time (two senders out of
// each other's earshot, answering the same relay, collide there: the hidden-terminal problem).
// A node that lacks what a neighbour's frontier shows answers with its own frontier (its ask).
// New events go straight to the neighbours whose frontier is known (no digest round trip); this
// node's own positions are held for the freshness window first, out of sight of the radio
// (freshness-hold.ts). "Are we in sync?" digests follow Trickle (trickle.ts). Pure: time comes in
// as `nowMs`, frames go out through `next`.
import { bytesEqual, toHex } from '../encoding/bytes';
import type { AuthorId } from '../events/event';
import type { IncomingRun, Rejection } from '../feed/ingest';
import { PROTOCOL_VERSION, WIRE_DIGEST_BYTES, type SyncMessage } from './messages';
import type { SyncHost } from './host';
import type { SessionOptions } from './settings';
import { RunPlanner } from './run-planner';
import { Trickle } from './trickle';
import { FreshnessHold } from './freshness-hold';
import { HeardRuns } from './heard-runs';
import { equalForkSeen, lackKey, neighborHolds, neighborLacks, newNeighborState, type NeighborState } from './neighbor-state';

import { TRANSIENT_REJECTIONS } from '../feed/ingest';

export type { NeighborState } from './neighbor-state';

// Defaults for the broadcast-only timings when the options leave them out (SF9/125 kHz pace).
const HELLO_EVERY_MS = 60_000;
const SUPPRESS_MS = 45_000;
const LISTEN_MS = 4_000;
/** A frontier this soon after a run was heard may predate it (it waited in the sender's queue). */
const REPORT_RACE_MS = 3_000;
/** Backoff doublings at most (the listen window grows to 16 times its base). */
const MAX_BACKOFF = 4;

export class NeighborhoodSession {
  readonly neighbors = new Map<string, NeighborState>();
  /** Runs neighbours broadcast recently: ours would be a repeat (heard-runs.ts). */
  private readonly heard: HeardRuns;
  private runsNotBeforeMs = 0;
  private helloAtMs: number | null = 0;
  private lastHelloMs = Number.NEGATIVE_INFINITY;
  suppressedRuns = 0;
  private readonly outbox: SyncMessage[] = [];
  private readonly planner: RunPlanner;
  private digestOwed = false;
  private lastDigestMs = Number.NEGATIVE_INFINITY;
  private frontierOwedAtMs: number | null = null;
  private lastFrontierMs = Number.NEGATIVE_INFINITY;
  private announceAtMs: number | null = null;
  private lastAnnounceMs = Number.NEGATIVE_INFINITY;
  /** A digest due at this time (periodic ones are spread so neighbours do not send together). */
  private digestAtMs: number | null = null;
  /** Ask again (a digest) at this time whether what was sent or held back arrived. */
  private confirmAtMs: number | null = null;
  /** Doublings of the listen window: a neighbour still lacked what we sent it. */
  private backoff = 0;
  /** New events go to the neighbours believed to lack them at this time. */
  private pushAtMs: number | null = null;
  /** The freshness window closes at this time: the held positions go (freshness-hold.ts). */
  private releaseAtMs: number | null = null;
  /** The node's feeds as this radio sees them: its own newest positions held for the window. */
  private readonly host: FreshnessHold;
  /** The pace of "are we in sync?" digests (trickle.ts). */
  private readonly trickle: Trickle;
  /**
   * Feeds a neighbour still lacked after they were sent: sent again gap first, the next run
   * spelling the author keys out again (the frame announcing them may be what was lost).
   */
  private readonly lost = new Set<AuthorId>();
  /** Feeds whose runs were held back because a neighbour had just sent them (heard-runs.ts). */
  private readonly heldBack = new Set<AuthorId>();

  constructor(
    host: SyncHost,
    private readonly opts: SessionOptions,
  ) {
    this.host = new FreshnessHold(host);
    this.planner = new RunPlanner(this.host, opts);
    // Trickle's floor: half the poke pace, unless set.
    this.trickle = new Trickle(opts.trickleMinMs ?? opts.pokeEveryMs / 2, () => this.rand());
    this.heard = new HeardRuns(this.suppressMs, this.reportRaceMs);
  }

  /** Trickle's turn: a digest when it is due. */
  private trickleTick(nowMs: number): void {
    // A neighbour believed to lack runs we hold differs as much as one whose digest just did.
    const differedWithin = (spanMs: number) => [...this.neighbors.values()].some((n) => (n.mismatchAtMs !== null && nowMs - n.mismatchAtMs < spanMs));
    if (this.trickle.tick(nowMs, differedWithin)) this.digestOwed = true;
  }

  private get suppressMs(): number {
    return this.opts.suppressMs ?? SUPPRESS_MS;
  }

  /** How long a frontier may lag a run it was sent after (a few frames, scaled like the listen). */
  private get reportRaceMs(): number {
    return Math.min(REPORT_RACE_MS, this.opts.listenMs ?? LISTEN_MS);
  }

  /** Time for a neighbour that got our runs to say so (its announcement). */
  private get confirmWaitMs(): number {
    return this.opts.announceEveryMs + (this.opts.announceJitterMs ?? 0);
  }

  /** A digest within `spreadMs` (at a random point of it), or sooner if one is due already. */
  private oweDigest(nowMs: number, spreadMs: number): void {
    const at = nowMs + spreadMs * this.rand();
    this.digestAtMs = this.digestAtMs === null ? at : Math.min(this.digestAtMs, at);
  }

  private oweConfirm(atMs: number): void {
    this.confirmAtMs = this.confirmAtMs === null ? atMs : Math.min(this.confirmAtMs, atMs);
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
      n = newNeighborState();
      this.neighbors.set(id, n);
      this.oweHello(); // someone new: say who we are
    }
    return n;
  }

  forget(id: string): void {
    this.neighbors.delete(id);
  }

  /**
   * New events here: pushed to the neighbours whose frontier we know, announced with a digest to
   * the others (they answer with their frontier). This node's own positions (`urgent` false) are
   * held for the freshness window first (freshness-hold.ts): the radio sees them when it closes,
   * in one run with every fix of the window. Anything else goes at once, held positions with it.
   */
  localChanged(nowMs: number, urgent = true): void {
    const holdMs = urgent ? 0 : (this.opts.freshnessMs ?? 0);
    if (holdMs > 0) {
      this.releaseAtMs = this.host.hold(nowMs, holdMs);
      return;
    }
    this.releaseAtMs = null;
    this.host.release();
    for (const n of this.neighbors.values()) n.inSync = false;
    // Neighbours whose frontier we know get the new events pushed (no digest round trip).
    if ([...this.neighbors.values()].some((n) => n.heads !== null)) {
      this.pushAtMs = Math.min(this.pushAtMs ?? Infinity, nowMs);
      if (![...this.neighbors.values()].some((n) => n.heads === null)) return;
    }
    this.trickle.reset(nowMs);
    const at = Math.max(nowMs, this.lastAnnounceMs + this.opts.announceEveryMs) + (this.opts.announceJitterMs ?? 0) * this.rand();
    this.announceAtMs = this.announceAtMs === null ? at : Math.min(this.announceAtMs, at);
  }

  /** The node's timer: Trickle keeps the digests' pace (the timer only gives it a turn). */
  poke(nowMs: number): void {
    this.trickleTick(nowMs);
  }

  nextWakeMs(): number | null {
    const runsAt = this.planner.pending ? this.runsNotBeforeMs : null;
    const trickleAt = this.trickle.nextWakeMs();
    const times = [this.announceAtMs, this.frontierOwedAtMs, this.helloAtMs, runsAt, this.digestAtMs, this.confirmAtMs, trickleAt, this.pushAtMs, this.releaseAtMs].filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  }

  receive(from: string, msg: SyncMessage, nowMs: number): { runs: IncomingRun[] } {
    const n = this.neighbor(from);
    if (n.stats.lastHeardMs === null) {
      this.trickle.reset(nowMs); // a newcomer: it hears from us soon
      // Heard, but its hello was missed (lost, or sent while we were on air): ask for one now.
      if (msg.type !== 'hello') this.oweDigest(nowMs, this.opts.announceJitterMs ?? 0);
    }
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
        // Trickle: agreement counts against our own digest; a difference not seen before resets.
        const pair = n.inSync ? null : `${toHex(ours.subarray(0, msg.digest.length))}:${toHex(msg.digest)}`;
        // One neighbour agreeing says nothing for another believed behind (out of its earshot).
        if (n.inSync) this.trickle.heardAgreement();
        else if (pair !== n.mismatch) this.trickle.reset(nowMs);
        n.mismatch = pair;
        n.mismatchAtMs = n.inSync ? null : nowMs;
        if (n.inSync) {
          n.heads = this.ourHeads();
          if (n.sent.size > 0) this.backoff = 0; // all it was sent arrived
          n.sent.clear();
        } else {
          this.oweFrontier(nowMs);
          // Believed to lack runs we held back because another neighbour had just sent them (out
          // of its earshot, then): they go now, without waiting for a frontier to say so again.
          if (!this.planner.pending && this.lacksHeldBack(n)) this.replan(nowMs);
        }
        return { runs: [] };
      }
      case 'frontier': {
        n.heads = new Map(msg.heads);
        this.checkEqualFork(n, msg.heads);
        // What we sent it and it still lacks was lost (a collision at it, most likely): it goes
        // again, after a longer random wait. What it holds now arrived.
        let lost = false;
        for (const [author, to] of n.sent) {
          if ((msg.heads.get(author) ?? 0) >= to) continue;
          lost = true;
          this.lost.add(author);
        }
        if (n.sent.size > 0) this.backoff = lost ? Math.min(MAX_BACKOFF, this.backoff + 1) : 0;
        n.sent.clear();
        // What it lacks of the runs heard lately goes to it after all (or is asked about again).
        const askAtMs = this.heard.reported(msg.heads, nowMs);
        if (askAtMs !== null) this.oweConfirm(askAtMs);
        for (const [a, r] of n.refused) if (r.untilMs <= nowMs) n.refused.delete(a);
        this.replan(nowMs);
        this.askFor(n, msg.heads, nowMs);
        return { runs: [] };
      }
      case 'run': {
        n.stats.runsReceived++;
        n.stats.eventsReceived += msg.events.length;
        const from = msg.events[0]!.seq;
        const to = msg.events[msg.events.length - 1]!.seq;
        // The sender holds what it sent; and whoever heard it does not need it from us.
        if (n.heads && !msg.withPrev) n.heads.set(msg.author, Math.max(n.heads.get(msg.author) ?? 0, to));
        this.heard.note(msg.author, from, to, nowMs);
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

  /** Whether a neighbour, by its last frontier and what we sent it since, lacks events of a feed we held back. */
  private lacksHeldBack(n: NeighborState): boolean {
    if (!n.heads) return false;
    const ours = this.host.frontier();
    for (const a of this.heldBack) if ((n.heads.get(a) ?? 0) < (ours.get(a)?.seq ?? 0) && !n.refused.has(a)) return true;
    return false;
  }

  /**
   * A neighbour's frontier shows events we lack: ours tells it what to send. Only a node that
   * lacks can ask (a sender that believes us served waits for our word, and the frontier that
   * said so may have been lost); asked once per difference, again after a frontier interval.
   */
  private askFor(n: NeighborState, theirs: ReadonlyMap<AuthorId, number>, nowMs: number): void {
    const key = lackKey(theirs, this.host.frontier());
    if (key === null || (n.askedFor?.key === key && nowMs - n.askedFor.atMs < this.opts.frontierEveryMs)) {
      if (key === null) n.askedFor = null;
      return;
    }
    n.askedFor = { key, atMs: nowMs };
    this.oweFrontier(nowMs);
  }

  /** A frontier answers every neighbour that differs; several mismatches within the wait share it. */
  private oweFrontier(nowMs: number): void {
    if (this.frontierOwedAtMs !== null) return;
    this.frontierOwedAtMs = Math.max(nowMs + 500 + 2000 * this.rand(), this.lastFrontierMs + this.opts.frontierEveryMs);
  }

  /** A fork of equal length seen twice with this neighbour (neighbor-state.ts): send every head, each proves its side. */
  private checkEqualFork(n: NeighborState, reported: ReadonlyMap<AuthorId, number>): void {
    const ours = this.host.frontier();
    if (equalForkSeen(n, ours, reported, this.host.digest().subarray(0, WIRE_DIGEST_BYTES))) this.planner.planHeads(ours.keys());
  }

  /** What to send: for each author, from the most-behind neighbour that has told us its frontier. */
  private replan(nowMs: number): void {
    // Listen first: a neighbour may be about to send the same runs (then ours are suppressed).
    if (!this.planner.pending) this.runsNotBeforeMs = nowMs + (this.opts.listenMs ?? LISTEN_MS) * (0.5 + this.rand()) * 2 ** this.backoff;
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
    this.planner.plan(behind, this.lost);
  }

  /** After a broadcast run, every neighbour that could chain it now holds it (until it says not). */
  private believeSent(author: AuthorId, fromSeq: number, toSeq: number): void {
    for (const n of this.neighbors.values()) {
      if (!n.heads) continue;
      const has = n.heads.get(author) ?? 0;
      // A neighbour holding the seq below the run can apply it; one further behind keeps it
      // pending (a newest-first run) and still needs the gap.
      if (has >= fromSeq - 1 && has < toSeq) {
        n.heads.set(author, toSeq);
        n.sent.set(author, Math.max(n.sent.get(author) ?? 0, toSeq));
      }
      n.stats.runsSent++;
      n.stats.eventsSent += toSeq - fromSeq + 1;
    }
  }

  next(nowMs: number): SyncMessage | null {
    if (this.releaseAtMs !== null && nowMs >= this.releaseAtMs) this.localChanged(nowMs);
    this.trickleTick(nowMs);
    if (this.pushAtMs !== null && nowMs >= this.pushAtMs) {
      this.pushAtMs = null;
      this.replan(nowMs);
    }
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
    // Runs go before digests, but never starve them: a digest is what tells a neighbour that
    // missed a run to say so, and a radio kept busy with new runs would otherwise never ask.
    this.settleDigest(nowMs);
    if (this.digestOwed && this.planner.pending && nowMs - this.lastDigestMs >= this.opts.frontierEveryMs) return this.takeDigest(nowMs);
    if (nowMs >= this.runsNotBeforeMs) {
      for (let run = this.planner.next(); run; run = this.planner.next()) {
        const from = run.events[0]!.seq;
        const to = run.events[run.events.length - 1]!.seq;
        if (this.heard.recently(run.author, from, to, nowMs)) {
          this.suppressedRuns++;
          this.heldBack.add(run.author);
          // Someone just said it; whoever still lacks it will say so when we ask.
          this.oweConfirm(nowMs + this.confirmWaitMs);
          continue;
        }
        this.believeSent(run.author, from, to);
        this.heldBack.delete(run.author);
        this.oweConfirm(nowMs + this.confirmWaitMs);
        this.lost.delete(run.author); // its first run again spells the keys out (the planner's `keysAgain`)
        return run;
      }
    }
    this.settleDigest(nowMs);
    return this.digestOwed ? this.takeDigest(nowMs) : null;
  }

  /** Whether a digest is owed now: an announcement, a confirmation, or one spread out. */
  private settleDigest(nowMs: number): void {
    if (this.announceAtMs !== null && nowMs >= this.announceAtMs) {
      this.announceAtMs = null;
      this.lastAnnounceMs = nowMs;
      this.digestOwed = true;
    }
    if (this.confirmAtMs !== null && nowMs >= this.confirmAtMs) {
      this.confirmAtMs = null;
      // Only while some neighbour is not known to hold all we hold.
      if ([...this.neighbors.values()].some((n) => !n.inSync)) this.oweDigest(nowMs, this.opts.announceJitterMs ?? 0);
    }
    if (this.digestAtMs !== null && nowMs >= this.digestAtMs) {
      this.digestAtMs = null;
      this.digestOwed = true;
    }
  }

  private takeDigest(nowMs: number): SyncMessage {
    this.digestOwed = false;
    this.lastDigestMs = nowMs;
    const unknown = [...this.neighbors.values()].some((n) => n.peer === null);
    return { type: 'digest', digest: this.host.digest().subarray(0, WIRE_DIGEST_BYTES), feeds: this.host.frontier().size, ...(unknown ? { helloWanted: true } : {}) };
  }

  get wantsToSend(): boolean {
    return this.helloAtMs !== null || this.outbox.length > 0 || this.planner.pending || this.digestOwed;
  }

  get queuedEvents(): number {
    return this.planner.queuedEvents;
  }

  /** Whether neighbour `id` holds author's event at `seq`, from its last frontier (null: unknown). */
  holdsOf(id: string, author: string, seq: number): boolean | null {
    const n = this.neighbors.get(id);
    return n ? neighborHolds(n, author, seq) : null;
  }

  /** What one neighbour lacks of ours and we of its, from its last report. */
  lacksOf(id: string): { weLack: number; theyLack: number } | null {
    const n = this.neighbors.get(id);
    return n ? neighborLacks(n, this.host.frontier()) : null;
  }
}
