// What createNode is given: the ports (store, crypto, identity, scheduler, transports) and the
// settings of the node's parts. A data folder provides the ports (portsOf); tests and benches
// pass their own.
import type { FleetSettings } from '../core/projections/fleet-settings';
import type { Lifecycle } from './tracing/lifecycle';
import type { CryptoPort } from '../core/crypto/ports';
import type { Scheduler } from '../core/clock/scheduler';
import type { Gate } from '../core/gates/gate';
import type { FeedStore } from '../core/store/feed-store';
import type { SyncCodec } from '../core/sync/messages';
import type { SessionOptions } from '../core/sync/settings';
import type { Link, Transport } from '../core/sync/transport';
import type { IngestHistoryDto, MapOverlaysDto } from '../shared/api';
import type { CheckpointPolicy } from './live/checkpointer';
import type { OpenedNode } from './open-node';
import type { ScrubberOptions } from './repair/scrubber';
import type { LinkBudget } from './replication/replicator';
import type { NodeIdentityPort } from './writing/node-writer';
import type { OwnHeads } from './writing/own-heads';

export interface NodeOptions {
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
  /** The heads this node signed, kept outside the database; no check without it (tests, benches). */
  readonly ownHeads?: OwnHeads;
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
  /** A radio holds this node's new positions this long, so one signed run carries them all (0: at once; 30 s by default). */
  readonly radioFreshnessMs?: number;
  readonly codecFor?: (link: Link) => SyncCodec;
  /** The codec for radio (broadcast) sync; the compact codec unless a bench compares another. */
  readonly radioCodec?: (maxFrameBytes: number) => SyncCodec;
  /** Lines the console draws under the trucks (demo roads). */
  readonly overlays?: MapOverlaysDto;
  readonly checkpoints?: CheckpointPolicy;
  /** The fleet this node belongs to (its key); an open node (demo, small setups) has none. */
  readonly fleetId?: string | null;
  /** The fleet's plausibility filters (default: a new node's). */
  readonly fleetSettings?: FleetSettings;
  /** The ingest view's history (the runtime samples it). */
  readonly ingestHistory?: () => IngestHistoryDto;
  /** Each position's lifecycle trace (the intake records into it; the inspector reads it). */
  readonly lifecycle?: Lifecycle;
  /** Positions waiting in the intake's inbox and drained so far, for the inspector. */
  readonly drained?: () => number;
  /** Keeps changed filters with the node's settings (the data folder's mandala.json). */
  readonly saveFleetSettings?: (settings: FleetSettings) => void;
  /** What one sync link may cost before it is closed (replication/replicator.ts). */
  readonly linkBudget?: LinkBudget;
  /**
   * Worker threads and the store file they open read-only: the background scrub
   * (repair/scrubber.ts), report folds and verification replays run there. Without them there is
   * no scrub, and reports fold on the main thread.
   */
  readonly workers?: Omit<ScrubberOptions, 'scheduler' | 'problems' | 'register' | 'onDamage'>;
}

/** The ports a data folder provides, as createNode takes them. */
export function portsOf(opened: OpenedNode): Pick<NodeOptions, 'store' | 'crypto' | 'identity' | 'reportIdentity' | 'name' | 'ownHeads' | 'fleetId' | 'fleetSettings'> {
  const { store, crypto, identity, reportIdentity, config } = opened;
  return { store, crypto, identity, reportIdentity, name: config.name, ownHeads: opened.ownHeads ?? undefined, fleetId: config.fleet ?? null, ...(config.fleetSettings ? { fleetSettings: config.fleetSettings } : {}) };
}

