// The node's live view of its store: projections folded from every stored event exactly once,
// in the order this store appended them, whoever appended them (this process, a CLI verb on the
// same data folder, or a peer). Also the node-local facts that are not part of any projection's
// hash: the event-time latch (which fixes arrived "historical") and authors' display names.
import type { FeedEvent } from '../../core/events/event';
import { KINDS, asMap } from '../../core/events/kinds';
import type { Checkpoint, FeedStore } from '../../core/feed/store';
import type { Hasher } from '../../core/crypto/ports';
import type { Value } from '../../core/encoding/canonical';
import { bytesEqual, hexToBytes, toHex } from '../../core/encoding/bytes';
import { encodeCanonical } from '../../core/encoding/canonical';
import { applyAll, createProjections, type ProjectionSet } from '../../core/projections/set';
import { RecordsProjection } from '../../core/projections/records';
import { decodeFoldState, encodeFoldState, foldVersions } from '../../core/projections/checkpoint';
import { SnapshotError } from '../../core/projections/snapshot-codec';
import { KindHeads } from '../../core/evidence/input-frontier';
import { attestedFeeds } from '../../core/import/attestation';
import { isImportedAuthor } from '../../core/import/imported-author';
import type { CheckpointRef } from '../../core/evidence/report-body';

export interface CatchUp {
  readonly events: number;
  readonly fleetChanged: boolean;
  readonly recordsChanged: boolean;
  readonly namesChanged: boolean;
  /** Fork reports or gate denials (the conflicts projection's own kinds) were folded. */
  readonly conflictsChanged: boolean;
  readonly reportsChanged: boolean;
  /** Positions that arrived older than what this node had already committed for their truck. */
  readonly historical: number;
}

const PAGE = 5000;

/** Only the records projection, folded from record events alone (for a CLI verb that writes one). */
export function foldRecords(store: FeedStore): RecordsProjection {
  const records = new RecordsProjection();
  for (let cursor = 0; ; ) {
    const page = store.readKinds(records.kinds, cursor, PAGE);
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

export class LiveState {
  readonly names = new Map<string, string>();
  /** Per node, the report feed its profile declares (named "<node> (reports)"). */
  private readonly reportFeeds = new Map<string, string>();
  /** Per truck: how many fixes arrived historical on this node. */
  readonly historical = new Map<string, number>();
  /** Fork reports folded since the node last looked (it verifies them and quarantines). */
  readonly forkReports: FeedEvent[] = [];
  /** Per author and kind, the newest event folded: every projection's input frontier. */
  heads = new KindHeads();
  /** The checkpoint this fold was restored from, if any. */
  startedFrom: CheckpointRef | null = null;
  /** Why the newest checkpoint could not be used, when that happened. */
  checkpointProblem: CheckpointProblem | null = null;
  private folded = 0;
  private cursor = 0;

  constructor(public projections: ProjectionSet = createProjections()) {}

  /** The report feed a node's profile declares, or null. */
  reportFeedOf(node: string): string | null {
    return this.reportFeeds.get(node) ?? null;
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
  static open(store: FeedStore, hasher: Hasher, foldRest = true): LiveState {
    const live = new LiveState();
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
      const s = decodeFoldState(cp.state);
      this.projections = s.set;
      this.heads = s.heads;
      this.folded = s.events;
      const extras = (s.extras ?? {}) as { names?: [string, string][]; historical?: [string, number][]; reports?: [string, string][] };
      for (const [a, n] of extras.names ?? []) this.names.set(a, n);
      for (const [a, r] of extras.reports ?? []) this.reportFeeds.set(a, r);
      for (const [t, n] of extras.historical ?? []) this.historical.set(t, n);
      this.cursor = cp.cursor;
      this.startedFrom = { stateHash: toHex(cp.stateHash), events: s.events };
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      this.projections = createProjections();
      this.checkpointProblem = { code: 'checkpoint_unusable', message: `checkpoint ${cp.id} cannot be used (${e.message}); folded from the first event instead` };
    }
  }

  /** A checkpoint of this fold as it stands. */
  checkpoint(nowMs: number, hasher: Hasher): Omit<Checkpoint, 'id'> {
    const extras: Value = {
      names: [...this.names].map(([a, n]) => [a, n]),
      historical: [...this.historical].map(([t, n]) => [t, n]),
      reports: [...this.reportFeeds].map(([a, r]) => [a, r]),
    };
    const state = encodeFoldState({ set: this.projections, heads: this.heads, events: this.folded, extras });
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
  catchUp(store: FeedStore): CatchUp {
    let events = 0;
    let fleetChanged = false;
    let recordsChanged = false;
    let namesChanged = false;
    let conflictsChanged = false;
    let reportsChanged = false;
    let historical = 0;
    for (;;) {
      const page = store.readSince(this.cursor, PAGE);
      if (page.events.length === 0) break;
      this.cursor = page.cursor;
      for (const ev of page.events) {
        events++;
        this.folded++;
        this.heads.note(ev);
        // Latch first (against what was committed before this event), then fold it.
        if (ev.kind === KINDS.truckPosition) {
          fleetChanged = true;
          if (this.latch(ev)) historical++;
        } else if (this.projections.records.kinds.includes(ev.kind as never)) {
          recordsChanged = true;
        } else if (ev.kind === KINDS.forkReport) {
          this.forkReports.push(ev);
          conflictsChanged = true;
        } else if (ev.kind === KINDS.gateDenial) {
          conflictsChanged = true;
        } else if (ev.kind === KINDS.reportCreated) {
          reportsChanged = true;
        } else if (ev.kind === KINDS.nodeProfile && !isImportedAuthor(ev.author)) {
          // An imported feed never speaks for a node: its name comes from its attestation.
          const p = asMap(ev.payload);
          const name = p?.['name'];
          if (typeof name === 'string') {
            this.names.set(ev.author, name);
            namesChanged = true;
            const reports = p?.['reports'];
            if (typeof reports === 'string' && reports !== ev.author) {
              this.reportFeeds.set(ev.author, reports);
              this.names.set(reports, `${name} (reports)`);
            }
          }
        } else if (ev.kind === KINDS.importAttest) {
          // An imported feed is shown by its name in the file, marked as imported.
          for (const f of attestedFeeds(ev)) {
            if (!this.names.has(f.author)) this.names.set(f.author, `${f.name} (imported)`);
            namesChanged = true;
          }
        }
        applyAll(this.projections, [ev]);
      }
    }
    return { events, fleetChanged, recordsChanged, namesChanged, conflictsChanged, reportsChanged, historical };
  }

  /**
   * The event-time latch: a fix older than the newest fix this node already committed for that
   * truck is historical. It joins the trail in its place but must never fire a live alert.
   */
  private latch(ev: FeedEvent): boolean {
    const p = asMap(ev.payload);
    const truck = p?.['truck'];
    const fixMs = p?.['fix_ms'];
    if (typeof truck !== 'string' || typeof fixMs !== 'number') return false;
    const latest = this.projections.fleet.latestFixMs(truck);
    if (latest !== null && fixMs < latest) {
      this.historical.set(truck, (this.historical.get(truck) ?? 0) + 1);
      return true;
    }
    return false;
  }
}
