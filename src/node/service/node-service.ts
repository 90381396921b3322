// NodeService: a running Mandala node. It composes the ports it is given (store, crypto,
// identity, scheduler/clock, transports) with the sync sessions and live projections, and
// exposes the typed API from src/shared plus throttled pushed updates. It constructs no ports
// itself; the CLI and the Electron main are its composition roots.
import type { CryptoPort, Signer } from '../../core/crypto/ports';
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { Hlc } from '../../core/clock/hlc';
import type { AuthorId } from '../../core/events/event';
import { KINDS, asMap } from '../../core/events/kinds';
import { decodeForkEvidence, encodeForkEvidence, verifyForkEvidence } from '../../core/feed/fork-evidence';
import type { ForkEvidence } from '../../core/feed/ledger';
import type { IncomingRun } from '../../core/feed/ingest';
import { frontierDigest } from '../../core/feed/frontier';
import type { BatchOutcome, FeedStore, LocalDraft, StoredEvent } from '../../core/feed/store';
import type { Gate } from '../../core/gates/gate';
import { LocalWriter } from '../local-writer';
import { CodecV1 } from '../../core/sync/codec-v1';
import type { SyncCodec } from '../../core/sync/messages';
import { LAN_SESSION, LORA_SESSION, loraSession, SyncSession, type SessionOptions, type SyncHost } from '../../core/sync/session';
import { CompactCodec, NodeRoster } from '../../core/sync/compact/codec';
import { randomInt } from 'node:crypto';
import type { BroadcastChannel, Link, Transport } from '../../core/sync/transport';
import { NeighborhoodSession } from '../../core/sync/neighborhood';
import { NeighborhoodConnection } from './neighborhood-connection';
import type { PeerView } from './peer-view';
import { Emitter } from '../../core/util/emitter';
import { hashString, SeededRandom } from '../../core/util/random';
import type { AppendResultDto, MapOverlaysDto, ProblemDto, PushTopic } from '../../shared/api';
import { LiveState } from './live-state';
import { RadioView } from './radio-view';
import { Checkpointer, type CheckpointPolicy } from './checkpointer';
import { EvidenceService } from '../evidence/evidence-service';
import { PeerConnection, type PeerConnectionHost } from './peer-connection';
import { PeerRegistry } from './peer-registry';
import { PushThrottle } from './push-throttle';
import { peerProblemMessage } from './problems';

/** Fork evidence travels inside the report up to this size (longer proofs stay local). */
const MAX_FORK_EVIDENCE_BYTES = 8 * 1024;

export interface NodeIdentityPort extends Signer {
  readonly author: AuthorId;
}

export interface NodeServiceOptions {
  readonly store: FeedStore;
  readonly crypto: CryptoPort;
  readonly identity: NodeIdentityPort;
  /**
   * The key of this node's report feed: evidence reports are kept apart from the node's own feed
   * so the radio can leave them out. Defaults to the node's identity (reports in its own feed).
   */
  readonly reportIdentity?: NodeIdentityPort;
  readonly name: string;
  readonly scheduler: Scheduler;
  readonly transports?: readonly Transport[];
  readonly gates?: readonly Gate[];
  readonly version?: string;
  readonly demo?: boolean;
  /** Coalesce pushed updates to at most one per topic per interval. */
  readonly pushThrottleMs?: number;
  /** Anti-entropy round with every peer this often. */
  readonly gossipEveryMs?: number;
  /** Look for events other processes wrote to the same store this often. */
  readonly pollExternalMs?: number;
  readonly maxDriftMs?: number;
  /** Session settings per link kind (LoRa links need very different ones). */
  readonly sessionFor?: (link: Link) => Omit<SessionOptions, 'codec'>;
  readonly codecFor?: (link: Link) => SyncCodec;
  /** The codec for radio (broadcast) sync; the compact codec unless a bench compares another. */
  readonly radioCodec?: (maxFrameBytes: number) => SyncCodec;
  /** Lines the console draws under the trucks (demo roads). */
  readonly overlays?: MapOverlaysDto;
  readonly checkpoints?: CheckpointPolicy;
}

export type ServiceEvents = {
  push: [topic: PushTopic];
  appended: [events: number];
  listenerError: [error: unknown];
};

export class NodeService implements PeerConnectionHost, SyncHost {
  readonly self: AuthorId;
  readonly name: string;
  readonly scheduler: Scheduler;
  readonly store: FeedStore;
  readonly live: LiveState;
  readonly evidence: EvidenceService;
  private readonly checkpointer: Checkpointer;
  readonly peers = new PeerRegistry();
  private readonly connections = new Set<PeerConnection>();
  private readonly neighborhoods: NeighborhoodConnection[] = [];
  readonly events = new Emitter<ServiceEvents>();
  readonly startedAtMs: number;
  readonly hlc: Hlc;
  /** This node's numbering of authors for compact frames; renumbered (new epoch) per start. */
  readonly roster = new NodeRoster(randomInt(1, 0xffffffff));
  private readonly writer: LocalWriter;
  private readonly reportWriter: LocalWriter;
  /** The feeds radio links see: all but report feeds. */
  readonly radio: RadioView;
  private readonly warnings = new Map<string, ProblemDto>();
  private readonly throttle: PushThrottle<PushTopic>;
  private readonly timers: TimerHandle[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private digestCache: Uint8Array | null = null;
  private changeToken = -1;
  private stopped = false;

  constructor(private readonly opts: NodeServiceOptions) {
    this.self = opts.identity.author;
    this.name = opts.name;
    this.scheduler = opts.scheduler;
    this.store = opts.store;
    this.startedAtMs = opts.scheduler.nowMs();
    this.hlc = new Hlc(opts.scheduler, opts.maxDriftMs);
    this.writer = new LocalWriter({ store: opts.store, crypto: opts.crypto, identity: opts.identity, clock: opts.scheduler, hlc: this.hlc, gates: opts.gates });
    const reportIdentity = opts.reportIdentity ?? opts.identity;
    this.reportWriter = new LocalWriter({ store: opts.store, crypto: opts.crypto, identity: reportIdentity, clock: opts.scheduler, hlc: this.hlc, gates: opts.gates });
    this.radio = new RadioView(this.self, this.name, opts.store, opts.crypto);
    // Start from the newest checkpoint when there is a usable one; the rest is folded in start().
    this.live = LiveState.open(opts.store, opts.crypto, false);
    if (this.live.checkpointProblem) this.warn(this.live.checkpointProblem.code, this.live.checkpointProblem.message);
    this.checkpointer = new Checkpointer(opts.store, opts.crypto, opts.scheduler, this.live, opts.checkpoints);
    this.evidence = new EvidenceService({
      store: opts.store,
      crypto: opts.crypto,
      identity: opts.identity,
      clock: opts.scheduler,
      appVersion: opts.version ?? 'dev',
      nodeName: () => this.name,
      // Fold whatever another process (a CLI verb) wrote first, so a report covers all held.
      live: () => {
        this.afterWrite(null);
        return this.live;
      },
      append: (drafts) => this.appendWith(this.reportWriter, drafts),
      feedLabel: reportIdentity === opts.identity ? "this node's feed" : "this node's report feed",
      nameOf: (a) => this.authorName(a),
    });
    this.throttle = new PushThrottle(opts.scheduler, opts.pushThrottleMs ?? 250, (t) => this.events.emit('push', t));
  }

  get options(): NodeServiceOptions {
    return this.opts;
  }

  /** Folds the store, announces this node's name, starts transports and the anti-entropy clock. */
  async start(): Promise<void> {
    this.catchUp();
    const highest = this.store.highestHlc();
    if (highest) {
      const obs = this.hlc.observe(highest);
      if (!obs.adopted) this.warn('remote_clock_ahead', `the store holds an event stamped ${Math.round(obs.aheadByMs / 1000)} s in the future; this node's clock did not follow it`);
    }
    this.announceProfile();
    for (const t of this.opts.transports ?? []) {
      const hood = t.broadcast ? this.neighborhoodFor(t.broadcast) : null;
      this.unsubscribe.push(t.events.on('listenerError', (e) => this.internalError(`${t.kind} transport`, e)));
      this.unsubscribe.push(
        t.events.on('link', (link) => {
          // A bug handling a link's message must be seen, not silently swallowed by the emitter.
          link.events.on('listenerError', (e) => this.internalError(link.label, e));
          if (hood) this.attachNeighbor(hood, link);
          else this.attach(link);
        }),
      );
      this.unsubscribe.push(t.events.on('problem', (code, message) => this.warn(code, message)));
      await t.start();
    }
    this.every(this.opts.gossipEveryMs ?? 5000, () => this.gossip());
    this.every(this.opts.pollExternalMs ?? 1000, () => this.pollExternal());
    this.every(1000, () => this.throttle.mark('peers'));
  }

  /** node.profile: this node's name, and its report feed when it keeps one apart. */
  private announceProfile(): void {
    const reports = this.reportWriter.author === this.self ? null : this.reportWriter.author;
    if (this.live.names.get(this.self) === this.name && this.live.reportFeedOf(this.self) === reports) return;
    this.append([{ kind: KINDS.nodeProfile, payload: reports ? { name: this.name, reports } : { name: this.name } }]);
  }

  private every(ms: number, fn: () => void): void {
    const tick = () => {
      if (this.stopped) return;
      try {
        fn();
      } catch (e) {
        this.warn('internal_error', (e as Error).message);
      }
      this.timers.push(this.scheduler.after(ms, tick));
    };
    this.timers.push(this.scheduler.after(ms, tick));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      this.checkpointer.onStop(this.live);
    } catch (e) {
      this.internalError('checkpoint on stop', e);
    }
    for (const t of this.timers) t.cancel();
    this.throttle.cancelAll();
    for (const u of this.unsubscribe) u();
    for (const c of [...this.connections]) c.link.close('node_stopping');
    for (const t of this.opts.transports ?? []) await t.stop();
  }

  // ---- SyncHost ---------------------------------------------------------------------------

  frontier() {
    return this.store.frontier();
  }

  digest(): Uint8Array {
    if (!this.digestCache) this.digestCache = frontierDigest(this.store.frontier(), this.opts.crypto);
    return this.digestCache;
  }

  readRange(author: AuthorId, fromSeq: number, toSeq: number): StoredEvent[] {
    return this.store.readRange(author, fromSeq, toSeq);
  }

  // ---- links and peers ----------------------------------------------------------------------

  /** Runs sync over a new link (from any transport). */
  attach(link: Link): PeerConnection {
    const codec = this.opts.codecFor?.(link) ?? this.defaultCodec(link);
    const settings = this.opts.sessionFor?.(link) ?? (link.kind === 'lora' ? { ...LORA_SESSION, mtu: link.packetSize ?? link.mtu } : { ...LAN_SESSION, mtu: Math.min(LAN_SESSION.mtu, link.mtu) });
    // Seeded from this node and the link, so simulations replay exactly.
    const rng = new SeededRandom(parseInt(this.self.slice(0, 8), 16) ^ hashString(link.id));
    const session = new SyncSession(link.kind === 'lora' ? this.radio : this, { ...settings, codec, random: () => rng.next() });
    const conn = new PeerConnection(link, session, codec, this);
    this.connections.add(conn);
    this.peers.track(conn);
    conn.start();
    this.throttle.mark('peers');
    return conn;
  }

  /** One broadcast session per radio: all neighbours are served by the same frames. */
  private neighborhoodFor(channel: BroadcastChannel): NeighborhoodConnection {
    const rng = new SeededRandom(parseInt(this.self.slice(0, 8), 16) ^ 0x5eed);
    const make = this.opts.radioCodec ?? ((max: number) => this.compactCodec(max));
    const codec = make(channel.mtu);
    const session = new NeighborhoodSession(this.radio, { ...loraSession(channel.frameAirtimeMs), mtu: channel.packetSize, codec, random: () => rng.next() });
    const hood = new NeighborhoodConnection(session, channel, codec, (link) => make(link.mtu), this);
    this.neighborhoods.push(hood);
    return hood;
  }

  private attachNeighbor(hood: NeighborhoodConnection, link: Link): void {
    this.peers.track(hood.add(link));
    this.throttle.mark('peers');
  }

  private compactCodec(maxFrameBytes: number): CompactCodec {
    return new CompactCodec({
      hasher: this.opts.crypto,
      roster: this.roster,
      maxFrameBytes,
      storedId: (author, seq) => this.store.readRange(author, seq, seq)[0]?.id ?? null,
    });
  }

  /** LAN links carry whole events (v1); radio links the compact codec, with this node's roster. */
  private defaultCodec(link: Link): SyncCodec {
    return link.kind === 'lora' ? this.compactCodec(link.mtu) : new CodecV1(this.opts.crypto);
  }

  peerChanged(view: PeerView): void {
    if (view.peerInfo()?.node === this.self) {
      view.link.close('self_connection');
      return;
    }
    this.peers.track(view);
    this.throttle.mark('peers');
  }

  problem(view: PeerView, code: string, message: string): void {
    this.peers.problem(view, code, peerProblemMessage(view, code, message), this.scheduler.nowMs());
    this.throttle.mark('peers');
  }

  closed(view: PeerView): void {
    if (view instanceof PeerConnection) this.connections.delete(view);
    this.peers.untrack(view);
    this.throttle.mark('peers');
  }

  private gossip(): void {
    const now = this.scheduler.nowMs();
    for (const c of this.connections) {
      c.session.poke(now);
      c.pump();
    }
    for (const h of this.neighborhoods) {
      h.session.poke(now);
      h.pump();
    }
  }

  // ---- writing ------------------------------------------------------------------------------

  /** Appends local events after the gates; a denial is recorded and returned, never thrown. */
  append(drafts: readonly LocalDraft[]): AppendResultDto[] {
    return this.appendWith(this.writer, drafts);
  }

  private appendWith(writer: LocalWriter, drafts: readonly LocalDraft[]): AppendResultDto[] {
    const results = writer.append(drafts);
    this.afterWrite(null); // denials are written as events too
    return results;
  }

  /** Ingests runs from a peer (or an import), folds what landed and tells the other peers. */
  ingest(runs: IncomingRun[], from: PeerView | null): BatchOutcome {
    const outcome = this.store.ingest(runs, this.scheduler.nowMs());
    for (const ev of outcome.appended) {
      const obs = this.hlc.observe(ev.hlc);
      if (!obs.adopted) this.warn('remote_clock_ahead', `an event from ${ev.author.slice(0, 8)} is stamped ${Math.round(obs.aheadByMs / 1000)} s ahead of this clock; it was kept, but this node's clock did not follow it`);
    }
    if (from) for (const r of outcome.rejections) this.problem(from, r.code, r.message);
    for (const f of outcome.forks) {
      this.warn('fork_detected', `feed ${f.author.slice(0, 8)} forked at seq ${f.seq}: its author signed two histories. The feed is quarantined and the evidence kept.`);
      this.reportFork(f);
    }
    if (outcome.appended.length > 0) this.afterWrite(from);
    return outcome;
  }

  private afterWrite(from: PeerView | null): void {
    const catchUp = this.catchUp();
    if (catchUp.events === 0) return;
    const now = this.scheduler.nowMs();
    // Radio links hear of a change only when the feeds they carry changed (not for a new report).
    const radioChanged = catchUp.radioChanged;
    for (const c of this.connections) {
      if (c === from) continue; // it knows what it just sent us
      if (c.link.kind === 'lora' && !radioChanged) continue;
      c.session.localChanged(now);
      c.pump();
    }
    if (!radioChanged) return;
    for (const h of this.neighborhoods) {
      h.session.localChanged(now);
      h.pump();
    }
  }

  /** Tells the mesh: the evidence travels (when small enough) so others can check and quarantine. */
  private reportFork(f: ForkEvidence): void {
    const evidence = encodeForkEvidence(f);
    this.append([{ kind: KINDS.forkReport, payload: { author: f.author, seq: f.seq, evidence: evidence.length <= MAX_FORK_EVIDENCE_BYTES ? evidence : null } }]);
  }

  /** A peer reported a fork: if its evidence proves it, quarantine that feed here too. */
  private absorbForkReports(): void {
    for (const ev of this.live.forkReports.splice(0)) {
      const evidence = asMap(ev.payload)?.['evidence'];
      if (!(evidence instanceof Uint8Array) || ev.author === this.self) continue;
      try {
        const f = decodeForkEvidence(evidence);
        if (verifyForkEvidence(f, this.opts.crypto) && this.store.recordFork(f, this.scheduler.nowMs())) {
          this.warn('fork_reported', `${this.authorName(ev.author)} proved that feed ${f.author.slice(0, 8)} forked at seq ${f.seq}; it is quarantined here too.`);
        }
      } catch {
        this.warn('bad_fork_report', `${this.authorName(ev.author)} sent a fork report whose evidence could not be read; it was ignored`);
      }
    }
  }

  private catchUp() {
    const result = this.live.catchUp(this.store);
    if (this.live.forkReports.length) this.absorbForkReports();
    const radioChanged = result.events > 0 && this.radio.refresh();
    if (result.events > 0) {
      this.digestCache = null;
      this.events.emit('appended', result.events);
      this.throttle.mark('node');
      this.throttle.mark('peers');
      if (result.fleetChanged) this.throttle.mark('fleet');
      if (result.recordsChanged) this.throttle.mark('records');
      if (result.fleetChanged || result.recordsChanged || result.conflictsChanged) this.throttle.mark('conflicts');
      if (result.reportsChanged) this.throttle.mark('reports');
      try {
        this.checkpointer.maybeSave(this.live);
      } catch (e) {
        this.internalError('saving a checkpoint', e);
      }
    }
    return { ...result, radioChanged };
  }

  /** Another process (a CLI verb) may have written to our data folder. */
  private pollExternal(): void {
    const token = this.store.changeToken();
    if (token === this.changeToken) return;
    this.changeToken = token;
    this.afterWrite(null);
  }

  // ---- problems -----------------------------------------------------------------------------

  /** A fault in this node's own code: keep running, and say where it happened. */
  internalError(where: string, e: unknown): void {
    const err = e as Error;
    this.warn(err?.name === 'MandalaError' ? (e as { code: string }).code : 'internal_error', `handling ${where}: ${err?.message ?? String(e)}`);
  }

  warn(code: string, message: string): void {
    const prev = this.warnings.get(code);
    this.warnings.set(code, { code, message, atMs: this.scheduler.nowMs(), count: (prev?.count ?? 0) + 1 });
    this.throttle.mark('node');
  }

  warningList(): ProblemDto[] {
    return [...this.warnings.values()].sort((a, b) => b.atMs - a.atMs);
  }

  /** Marks a topic changed so the console gets a (throttled) push. */
  markChanged(topic: PushTopic): void {
    this.throttle.mark(topic);
  }

  authorName(author: AuthorId): string {
    return this.live.names.get(author) ?? author.slice(0, 8);
  }

  profileName(author: AuthorId): string | null {
    const n = this.live.names.get(author);
    return n === undefined ? null : n;
  }
}
