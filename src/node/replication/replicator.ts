// Replication: every link this node syncs over, from any transport. It runs one sync session per
// peer link (LAN, memory) and one broadcast session per radio; hands what they receive to the
// ingest path; relays what lands to every other peer (store and forward); runs the periodic
// anti-entropy round; and keeps the peers table. It never writes to the store itself.
import { randomInt } from 'node:crypto';
import type { Hasher } from '../../core/crypto/ports';
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { every } from '../../core/clock/scheduler';
import type { AuthorId } from '../../core/events/event';
import type { IncomingRun } from '../../core/feed/ingest';
import type { BatchOutcome, FeedLog } from '../../core/store/feed-log';
import type { QuarantineLog } from '../../core/store/quarantine-log';
import { CodecV1 } from '../../core/sync/codec-v1';
import { CompactCodec, NodeRoster } from '../../core/sync/compact/codec';
import type { SyncCodec } from '../../core/sync/messages';
import { NeighborhoodSession } from '../../core/sync/neighborhood';
import { SyncSession } from '../../core/sync/session';
import { DEFAULT_RADIO_FRESHNESS_MS, loraSession, sessionSettingsFor, type SessionOptions } from '../../core/sync/settings';
import type { BroadcastChannel, Link, Transport } from '../../core/sync/transport';
import { hashString, SeededRandom } from '../../core/util/random';
import type { PeerRowDto } from '../../shared/api';
import type { ProblemLog } from '../problems/problem-log';
import { FeedsView } from './feeds-view';
import { NODE_REFUSALS, peerProblemMessage, refusedUsMessage } from './peer-problems';
import type { LinkHost } from './link-host';
import { NeighborhoodConnection } from './neighborhood-connection';
import { PeerConnection } from './peer-connection';
import { PeerRegistry } from './peer-registry';
import type { PeerView } from './peer-view';
import type { Membership } from '../../core/fleet/membership';
import { DamageRegister } from '../repair/damage-register';
import type { DamagedEvent } from '../store/sqlite/chain-scrub';

/** What one link may cost before it is closed: data left waiting in the buffer, and refusals. */
export interface LinkBudget {
  /** Events a peer sent that had to wait (out of order or not yet authenticated), over the link's life. */
  readonly maxBuffered: number;
  /** Runs refused per minute (forged, broken, not admitted): beyond this the peer is not trying. */
  readonly maxRefusalsPerMinute: number;
}

export const DEFAULT_LINK_BUDGET: LinkBudget = { maxBuffered: 20_000, maxRefusalsPerMinute: 600 };

export interface ReplicatorOptions {
  readonly self: AuthorId;
  readonly name: string;
  readonly log: Pick<FeedLog, 'frontier' | 'readRange'> & Pick<QuarantineLog, 'quarantined'>;
  readonly hasher: Hasher;
  readonly scheduler: Scheduler;
  readonly transports: readonly Transport[];
  readonly problems: ProblemLog;
  /** Stores what a peer sent (and relays it onward once it landed). */
  readonly ingest: (runs: IncomingRun[], from: PeerView) => BatchOutcome;
  /** The peers table changed. */
  readonly peersChanged: () => void;
  /** Anti-entropy round with every peer this often. */
  readonly gossipEveryMs?: number;
  /** Session settings per link kind (LoRa links need very different ones). */
  readonly sessionFor?: (link: Link) => Omit<SessionOptions, 'codec'>;
  /** A radio holds this node's new positions this long, so one run carries them all (0: at once). */
  readonly radioFreshnessMs?: number;
  readonly codecFor?: (link: Link) => SyncCodec;
  /** The codec for radio (broadcast) sync; the compact codec unless a bench compares another. */
  readonly radioCodec?: (maxFrameBytes: number) => SyncCodec;
  /** The fleet this node belongs to: links to proven non-members are closed. Null: an open node. */
  readonly membership?: Membership | null;
  /** A node's name from its own signed profile, when held. */
  readonly profileName?: (node: AuthorId) => string | null;
  readonly budget?: LinkBudget;
  /** Stored events known damaged: never served, and asked for again (repair/damage-register.ts). */
  readonly damage?: DamageRegister;
}

export class Replicator implements LinkHost {
  readonly scheduler: Scheduler;
  readonly peers = new PeerRegistry();
  /** Every feed: what LAN peers sync. */
  readonly allFeeds: FeedsView;
  /** Every feed but report feeds: what radio neighbours sync. */
  readonly radioFeeds: FeedsView;
  /** This node's numbering of authors for compact frames; renumbered (new epoch) per start. */
  readonly roster = new NodeRoster(randomInt(1, 0xffffffff));
  private readonly connections = new Set<PeerConnection>();
  private readonly neighborhoods: NeighborhoodConnection[] = [];
  private readonly neighborhoodOf = new Map<BroadcastChannel, NeighborhoodConnection>();
  /** Transports added while running, with what to unsubscribe when one is removed. */
  private readonly added = new Map<Transport, (() => void)[]>();
  private readonly unsubscribe: (() => void)[] = [];
  private gossipTimer: TimerHandle | null = null;
  private readonly spent = new WeakMap<PeerView, { buffered: number; refusals: number; windowStartMs: number }>();

  constructor(private readonly opts: ReplicatorOptions) {
    this.scheduler = opts.scheduler;
    const damage = opts.damage ?? new DamageRegister();
    const found = (d: DamagedEvent) => {
      opts.problems.warn('event_damaged', `${d.message}: the stored copy is damaged (bit rot on this disk?); it is no longer served and will be fetched again from a peer`);
      // Both views must stop offering it, and peers hear that this node lacks it now.
      this.allFeeds.invalidate();
      this.radioFeeds.invalidate();
      opts.scheduler.after(0, () => this.relay(null));
    };
    // In a fleet the founder's feed goes first, then the other admins', whose admissions let the rest in.
    const m = opts.membership;
    const rank = m ? (a: AuthorId) => (m.state(a)?.admittedBy === null ? 0 : m.isAdmin(a) ? 1 : 2) : undefined;
    const view = { self: opts.self, name: opts.name, log: opts.log, hasher: opts.hasher, damage, onDamage: found, rank, fleet: m?.fleetId ?? null };
    this.allFeeds = new FeedsView({ ...view, withoutReports: false });
    this.radioFeeds = new FeedsView({ ...view, withoutReports: true });
  }

  /** Starts every transport; links they produce are synced from then on. */
  async start(): Promise<void> {
    const { problems } = this.opts;
    for (const t of this.opts.transports) await this.startTransport(t);
    this.gossipTimer = every(this.scheduler, this.opts.gossipEveryMs ?? 5000, () => this.gossip(), (e) => problems.internalError('the anti-entropy round', e));
  }

  async stop(): Promise<void> {
    this.gossipTimer?.cancel();
    for (const u of [...this.unsubscribe, ...[...this.added.values()].flat()]) u();
    for (const c of [...this.connections]) c.link.close('node_stopping');
    for (const n of this.neighborhoods) n.stop();
    const added = [...this.added.keys()];
    this.added.clear();
    for (const t of [...this.opts.transports, ...added]) await t.stop();
  }

  /** A transport added while the node runs (a radio plugged in and chosen in the console). */
  async addTransport(t: Transport, opts: { readonly freshnessMs?: number } = {}): Promise<void> {
    if (this.added.has(t) || this.opts.transports.includes(t)) return;
    const offs: (() => void)[] = [];
    this.added.set(t, offs);
    await this.startTransport(t, offs, opts.freshnessMs);
  }

  /** Stops a transport added with addTransport: its links close, its neighbours are forgotten as links. */
  async removeTransport(t: Transport): Promise<void> {
    const offs = this.added.get(t);
    if (!offs) return;
    this.added.delete(t);
    for (const off of offs) off();
    const neighborhood = t.broadcast ? this.neighborhoodOf.get(t.broadcast) : undefined;
    if (neighborhood) {
      neighborhood.stop();
      this.neighborhoodOf.delete(t.broadcast!);
      const at = this.neighborhoods.indexOf(neighborhood);
      if (at >= 0) this.neighborhoods.splice(at, 1);
    }
    await t.stop();
    this.opts.peersChanged();
  }

  private async startTransport(t: Transport, offs: (() => void)[] = this.unsubscribe, freshnessMs = this.opts.radioFreshnessMs): Promise<void> {
    const { problems } = this.opts;
    const neighborhood = t.broadcast ? this.neighborhoodFor(t.broadcast, freshnessMs) : null;
    offs.push(t.events.on('listenerError', (e) => problems.internalError(`${t.kind} transport`, e)));
    offs.push(
      t.events.on('link', (link) => {
        // A bug handling a link's message must be seen, not silently swallowed by the emitter.
        link.events.on('listenerError', (e) => problems.internalError(link.label, e));
        if (neighborhood) this.attachNeighbor(neighborhood, link);
        else this.attach(link);
      }),
    );
    offs.push(t.events.on('problem', (code, message) => problems.warn(code, message)));
    await t.start();
  }

  /** The digest of everything this node holds. */
  digest(): Uint8Array {
    return this.allFeeds.digest();
  }

  /** Which peers hold author's event at `seq`, as far as their last frontiers tell. */
  holders(author: string, seq: number): { node: string; name: string; holds: boolean | null }[] {
    return this.peers.holders(this.opts.self, author, seq);
  }

  peerRows(): PeerRowDto[] {
    const m = this.opts.membership;
    return this.peers.rows(this.opts.self, (node) => {
      const s = m?.state(node);
      const fleet = !m ? null : !s ? 'outside' : s.revoked ? 'revoked' : s.role;
      return { name: this.opts.profileName?.(node) ?? null, fleet };
    });
  }

  /** Runs sync over a new link (from any transport). */
  attach(link: Link): PeerConnection {
    const codec = this.opts.codecFor?.(link) ?? this.defaultCodec(link);
    const settings = this.opts.sessionFor?.(link) ?? sessionSettingsFor(link);
    // Seeded from this node and the link, so simulations replay exactly.
    const rng = new SeededRandom(parseInt(this.opts.self.slice(0, 8), 16) ^ hashString(link.id));
    const session = new SyncSession(link.kind === 'lora' ? this.radioFeeds : this.allFeeds, { ...settings, codec, random: () => rng.next() });
    const conn = new PeerConnection(link, session, codec, this);
    this.connections.add(conn);
    this.peers.track(conn);
    conn.start();
    this.opts.peersChanged();
    return conn;
  }

  /** One broadcast session per radio: all neighbours are served by the same frames. */
  private neighborhoodFor(channel: BroadcastChannel, freshnessMs: number | undefined): NeighborhoodConnection {
    const rng = new SeededRandom(parseInt(this.opts.self.slice(0, 8), 16) ^ 0x5eed);
    const make = this.opts.radioCodec ?? ((max: number) => this.compactCodec(max));
    const codec = make(channel.mtu);
    const session = new NeighborhoodSession(this.radioFeeds, {
      ...loraSession(channel.frameAirtimeMs),
      mtu: channel.packetSize,
      codec,
      random: () => rng.next(),
      freshnessMs: freshnessMs ?? DEFAULT_RADIO_FRESHNESS_MS,
    });
    const neighborhood = new NeighborhoodConnection(session, channel, codec, (link) => make(link.mtu), this);
    this.neighborhoods.push(neighborhood);
    this.neighborhoodOf.set(channel, neighborhood);
    return neighborhood;
  }

  private attachNeighbor(neighborhood: NeighborhoodConnection, link: Link): void {
    this.peers.track(neighborhood.add(link));
    this.opts.peersChanged();
  }

  private compactCodec(maxFrameBytes: number): CompactCodec {
    return new CompactCodec({
      hasher: this.opts.hasher,
      roster: this.roster,
      maxFrameBytes,
      storedId: (author, seq) => this.opts.log.readRange(author, seq, seq)[0]?.id ?? null,
    });
  }

  /** LAN links carry whole events (v1); radio links the compact codec, with this node's roster. */
  private defaultCodec(link: Link): SyncCodec {
    return link.kind === 'lora' ? this.compactCodec(link.mtu) : new CodecV1(this.opts.hasher);
  }

  // ---- LinkHost ----------------------------------------------------------------------------

  ingest(runs: IncomingRun[], from: PeerView): BatchOutcome {
    const outcome = this.opts.ingest(runs, from);
    for (const r of outcome.rejections) this.problem(from, r.code, r.message);
    this.charge(from, outcome);
    return outcome;
  }

  /** Counts what a link cost; one that spends past its budget is closed, with a reason. */
  private charge(from: PeerView, outcome: BatchOutcome): void {
    const budget = this.opts.budget ?? DEFAULT_LINK_BUDGET;
    const now = this.scheduler.nowMs();
    let s = this.spent.get(from);
    if (!s) this.spent.set(from, (s = { buffered: 0, refusals: 0, windowStartMs: now }));
    if (now - s.windowStartMs >= 60_000) {
      s.refusals = 0;
      s.windowStartMs = now;
    }
    s.buffered += outcome.buffered;
    s.refusals += outcome.rejections.length;
    const over =
      s.buffered > budget.maxBuffered
        ? `sent ${s.buffered} events that had to wait in the buffer (out of order or unauthenticated; the budget is ${budget.maxBuffered})`
        : s.refusals > budget.maxRefusalsPerMinute
          ? `had ${s.refusals} runs refused within a minute (the budget is ${budget.maxRefusalsPerMinute})`
          : null;
    if (!over) return;
    this.problem(from, 'over_budget', `${over}; the connection was closed to bound what it costs`);
    from.link.close('over_budget');
  }

  peerChanged(view: PeerView): void {
    const claimed = view.peerInfo()?.node;
    if (claimed === this.opts.self) {
      view.link.close('self_connection');
      return;
    }
    // A LAN peer proved its key in the handshake: its hello must name that key.
    const proven = view.link.peerKey;
    if (claimed && proven && claimed !== proven) {
      this.opts.problems.warn('identity_mismatch', `${view.link.label} proved key ${proven.slice(0, 8)} but claimed to be node ${claimed.slice(0, 8)}; the connection was closed`);
      view.refuseAndClose('identity_mismatch');
      return;
    }
    const m = this.opts.membership;
    // A fleet's data stays among nodes that declare the fleet: an open node (or one of another
    // fleet) would store it and pass it on to anyone, even if its key was admitted by mistake.
    const declared = view.peerInfo()?.fleet ?? null;
    if (claimed && proven && m && declared !== m.fleetId) {
      const who = `${view.peerInfo()?.name || proven.slice(0, 8)} (${view.link.label})`;
      const what = declared === null ? 'it is an open node (created with plain `mandala init`)' : `it belongs to another fleet (${declared.slice(0, 8)})`;
      this.opts.problems.warn('peer_not_in_fleet', `refused sync with ${who}: ${what}, and this node belongs to fleet ${m.fleetId.slice(0, 8)}; a node joins the fleet when it is created, with \`mandala init --join ${m.fleetId}\`, and is then admitted by an admin`);
      view.refuseAndClose('not_in_fleet');
      return;
    }
    if (claimed && proven && m?.founded && !m.isActive(proven)) {
      this.opts.problems.warn('peer_not_admitted', `refused sync with ${view.peerInfo()?.name || proven.slice(0, 8)} (${view.link.label}): node ${proven.slice(0, 8)} is not admitted to this fleet (an admin can run \`mandala admit ${proven}\`)`);
      view.refuseAndClose(m.state(proven)?.revoked ? 'revoked' : 'not_admitted');
      return;
    }
    this.peers.track(view);
    this.opts.peersChanged();
  }

  problem(view: PeerView, code: string, message: string): void {
    this.peers.problem(view, code, peerProblemMessage(view, code, message), this.scheduler.nowMs());
    this.opts.peersChanged();
  }

  closed(view: PeerView): void {
    const us = view.refusals().find((r) => r.author === this.opts.self && NODE_REFUSALS.has(r.code));
    if (us) {
      const peer = view.peerInfo();
      const who = peer ? `${peer.name || peer.node.slice(0, 8)} (${view.link.label})` : view.link.label;
      this.opts.problems.warn('refused_by_peer', refusedUsMessage(us.code, who, this.opts.self, this.opts.membership?.fleetId ?? null));
    }
    if (view instanceof PeerConnection) this.connections.delete(view);
    this.peers.untrack(view);
    this.opts.peersChanged();
  }

  // ---- relay -------------------------------------------------------------------------------

  /** The periodic "are we in sync?" with every peer. */
  gossip(): void {
    const now = this.scheduler.nowMs();
    for (const c of this.connections) {
      c.session.poke(now);
      c.pump();
    }
    for (const n of this.neighborhoods) {
      n.session.poke(now);
      n.pump();
    }
  }

  /**
   * Events landed in the store: tells every peer but the one they came from. Radio links hear of
   * a change only when the feeds they carry changed (not for a new report).
   */
  relay(from: object | null, batchable = false): void {
    this.allFeeds.invalidate();
    const radioChanged = this.radioFeeds.refresh();
    const now = this.scheduler.nowMs();
    for (const c of this.connections) {
      if (c === from) continue; // it knows what it just sent us
      if (c.link.kind === 'lora' && !radioChanged) continue;
      c.session.localChanged(now);
      c.pump();
    }
    if (!radioChanged) return;
    for (const n of this.neighborhoods) {
      n.session.localChanged(now, !batchable);
      n.pump();
    }
  }
}
