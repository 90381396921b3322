// The node's live view of its store: projections folded from every stored event exactly once,
// in the order this store appended them, whoever appended them (this process, a CLI verb on the
// same data folder, or a peer). Also the node-local facts that are not part of any projection's
// hash: who is who, and the fork reports the node still has to check. (Which fixes are
// historical is the fleet projection's, decided in log order, the same on every node.) A pure fold over the store's ports: no I/O of its own.
import type { Hasher } from '../crypto/ports';
import type { Value, ValueMap } from '../encoding/canonical';
import { bytesEqual, hexToBytes, toHex } from '../encoding/bytes';
import { encodeCanonical } from '../encoding/canonical';
import type { FeedEvent } from '../events/event';
import { KINDS } from '../events/kinds';
import { decodePayload, type DecodedPayload } from '../events/payloads';
import type { Checkpoint, CheckpointStore } from '../store/checkpoint-store';
import type { FeedLog } from '../store/feed-log';
import type { FleetSettings } from '../projections/fleet-settings';
import { createProjections, projectionList, type ProjectionSet } from '../projections/set';
import { RecordsProjection } from '../projections/records';
import { decodeFoldState, encodeFoldState, foldVersions } from '../projections/checkpoint';
import { FoldTable } from '../projections/fold-table';
import type { Fold } from '../projections/projection';
import { SnapshotError } from '../projections/snapshot-codec';
import { KindHeads } from '../evidence/input-frontier';
import type { CheckpointRef } from '../evidence/report-body';
import type { PushTopic } from '../../shared/api';
import { NodeDirectory } from './directory';

export interface CatchUp {
  readonly events: number;
  /** The console topics whose data changed (every fold that read one of the events). */
  readonly topics: ReadonlySet<PushTopic>;
}

/** A fork report a peer made, with its evidence, for the node to check. */
export interface ForkReportSeen {
  readonly reporter: string;
  readonly evidence: Uint8Array;
}

/** Fork reports folded since the node last looked (it verifies them and quarantines). */
class ForkReportInbox implements Fold {
  readonly sources = [KINDS.forkReport];
  readonly topic = 'conflicts' as const;
  readonly waiting: ForkReportSeen[] = [];

  apply(ev: FeedEvent, payload: DecodedPayload = decodePayload(ev)): void {
    if (payload.kind === KINDS.forkReport && payload.evidence) this.waiting.push({ reporter: ev.author, evidence: payload.evidence });
  }
}

/** Evidence reports arriving (their list is read from the store when asked for). */
class ReportArrivals implements Fold {
  readonly sources = [KINDS.reportCreated];
  readonly topic = 'reports' as const;
  apply(): void {}
}

/** An attachment's bytes arriving change what the records list says is here. */
class BlobArrivals implements Fold {
  readonly sources = [KINDS.blobChunk];
  readonly topic = 'records' as const;
  apply(): void {}
}

const PAGE = 5000;

/** Only the records projection, folded from record events alone (for a CLI verb that writes one). */
export function foldRecords(log: Pick<FeedLog, 'readKinds'>): RecordsProjection {
  const records = new RecordsProjection();
  for (let cursor = 0; ; ) {
    const page = log.readKinds(records.kinds, cursor, PAGE);
    if (page.events.length === 0) return records;
    for (const ev of page.events) records.apply(ev);
    cursor = page.cursor;
  }
}

/** Why a saved checkpoint was not used (the fold then starts from the first event). */
export interface CheckpointProblem {
  readonly code: 'checkpoint_damaged' | 'checkpoint_unusable';
  readonly message: string;
}

interface Extras {
  names?: [string, string][];
  filters?: [string, ValueMap][];
  reports?: [string, string][];
}

export class LiveState {
  readonly directory = new NodeDirectory();
  private readonly forkInbox = new ForkReportInbox();
  /** Per author and kind, the newest event folded: every projection's input frontier. */
  heads = new KindHeads();
  /** The checkpoint this fold was restored from, if any. */
  startedFrom: CheckpointRef | null = null;
  /** Why the newest checkpoint could not be used, when that happened. */
  checkpointProblem: CheckpointProblem | null = null;
  private table: FoldTable;
  private folded = 0;
  private cursor = 0;

  constructor(
    public projections: ProjectionSet = createProjections(),
    /** Node-local folds the node adds (fleet membership), fed every event of their kinds. */
    private readonly extraFolds: readonly Fold[] = [],
  ) {
    this.table = this.foldTable();
  }

  private foldTable(): FoldTable {
    return new FoldTable([...projectionList(this.projections), this.directory, this.forkInbox, new ReportArrivals(), new BlobArrivals(), ...this.extraFolds]);
  }

  get names(): ReadonlyMap<string, string> {
    return this.directory.names;
  }

  /** Fork reports folded since the last call, for the node to verify. */
  takeForkReports(): ForkReportSeen[] {
    return this.forkInbox.waiting.splice(0);
  }

  /** The report feed a node's profile declares, or null. */
  reportFeedOf(node: string): string | null {
    return this.directory.reportFeedOf(node);
  }

  /** Events folded so far. */
  get eventCount(): number {
    return this.folded;
  }

  /** The store position folded up to. */
  get position(): number {
    return this.cursor;
  }

  /**
   * Starts from the store's newest usable checkpoint (or from nothing), then folds the rest.
   * A damaged or foreign checkpoint is not an error: the fold starts over and says why.
   */
  static open(store: Pick<FeedLog, 'readSince'> & Pick<CheckpointStore, 'latestCheckpoint'>, hasher: Hasher, foldRest = true, extraFolds: readonly Fold[] = [], settings?: FleetSettings): LiveState {
    const live = new LiveState(createProjections(settings), extraFolds);
    const cp = store.latestCheckpoint(foldVersions(live.projections));
    if (cp) live.restore(cp, hasher);
    if (foldRest) live.catchUp(store);
    return live;
  }

  private restore(cp: Checkpoint, hasher: Hasher): void {
    if (!bytesEqual(hasher.sha256(cp.state), cp.stateHash)) {
      this.checkpointProblem = { code: 'checkpoint_damaged', message: `checkpoint ${cp.id} is damaged (its state hash does not match); folded from the first event instead` };
      return;
    }
    try {
      const s = decodeFoldState(cp.state, this.projections.fleet.settings);
      this.projections = s.set;
      this.table = this.foldTable();
      this.heads = s.heads;
      this.folded = s.events;
      const extras = (s.extras ?? {}) as Extras;
      this.directory.restore(extras);
      this.cursor = cp.cursor;
      this.startedFrom = { stateHash: toHex(cp.stateHash), events: s.events };
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      this.projections = createProjections(this.projections.fleet.settings);
      this.table = this.foldTable();
      this.checkpointProblem = { code: 'checkpoint_unusable', message: `checkpoint ${cp.id} cannot be used (${e.message}); folded from the first event instead` };
    }
  }

  /** A checkpoint of this fold as it stands. */
  checkpoint(nowMs: number, hasher: Hasher): Omit<Checkpoint, 'id'> {
    const { names, reports, filters } = this.directory.snapshot();
    const extras: Value = { names, reports, filters };
    const state = encodeFoldState({ set: this.projections, heads: this.heads, events: this.folded, extras }, hasher);
    const covered = this.heads.coveredFrontier(hasher);
    return {
      createdAtMs: nowMs,
      cursor: this.cursor,
      eventCount: this.folded,
      frontier: encodeCanonical(covered.vector.map((e) => [e.author, e.seq, e.head])),
      frontierDigest: hexToBytes(covered.digest),
      hlcHigh: covered.hlcHigh ?? { wall: 0, counter: 0 },
      versions: foldVersions(this.projections),
      state,
      stateHash: hasher.sha256(state),
    };
  }

  /** Folds every event the store appended since the last call. */
  catchUp(log: Pick<FeedLog, 'readSince'>): CatchUp {
    let events = 0;
    const topics = new Set<PushTopic>();
    for (;;) {
      const page = log.readSince(this.cursor, PAGE);
      if (page.events.length === 0) break;
      this.cursor = page.cursor;
      for (const ev of page.events) {
        events++;
        this.folded++;
        this.heads.note(ev);
        for (const fold of this.table.apply(ev)) topics.add(fold.topic);
      }
    }
    return { events, topics };
  }
}
