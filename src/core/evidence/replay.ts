// Replaying a store's log up to a report's input frontier, so anyone who holds the same events can
// re-derive its output hash without trusting its author.
//   - reach: does this store hold every event the vector names, with the same head ids? If not,
//     exactly which feeds and seqs are missing, or where its history differs;
//   - fold: every stored event within the vector (an author's seqs up to its entry; authors
//     outside the vector not at all), from the first event or from a checkpoint whose folded
//     source events all lie inside the vector.
import type { AuthorId, EventId } from '../events/event';
import type { Checkpoint } from '../store/checkpoint-store';
import type { CheckpointStore } from '../store/checkpoint-store';
import type { FeedLog } from '../store/feed-log';
import type { Hasher } from '../crypto/ports';
import { bytesEqual, toHex } from '../encoding/bytes';
import { decodeFoldState, foldVersions } from '../projections/checkpoint';
import { FoldTable } from '../projections/fold-table';
import type { FleetSettings } from '../projections/fleet-settings';
import { createProjections, projectionById, projectionList, PROJECTION_IDS, type ProjectionId, type ProjectionSet } from '../projections/set';
import { projectionOutputHash } from '../projections/projection';
import { SnapshotError } from '../projections/snapshot-codec';
import type { InputEntry } from './input-frontier';
import type { CheckpointRef } from './report-body';

export type ReplayStore = Pick<FeedLog, 'head' | 'readRange' | 'readSince'> & Pick<CheckpointStore, 'latestCheckpoint'>;

export interface MissingRange {
  readonly author: AuthorId;
  /** First seq this store lacks. */
  readonly fromSeq: number;
  readonly toSeq: number;
}

export interface DifferingHead {
  readonly author: AuthorId;
  readonly seq: number;
  /** The head id the vector names. */
  readonly expected: EventId;
  /** The id this store holds at that seq. */
  readonly found: EventId;
}

export interface Reach {
  readonly missing: readonly MissingRange[];
  readonly differs: readonly DifferingHead[];
}

export function checkReach(store: ReplayStore, vector: readonly InputEntry[]): Reach {
  const missing: MissingRange[] = [];
  const differs: DifferingHead[] = [];
  for (const e of vector) {
    const held = store.head(e.author)?.seq ?? 0;
    if (held < e.seq) {
      missing.push({ author: e.author, fromSeq: held + 1, toSeq: e.seq });
      continue;
    }
    const found = store.readRange(e.author, e.seq, e.seq)[0]?.id;
    if (found !== e.head) differs.push({ author: e.author, seq: e.seq, expected: e.head, found: found ?? '' });
  }
  return { missing, differs };
}

export function isProjectionId(id: string): id is ProjectionId {
  return (PROJECTION_IDS as readonly string[]).includes(id);
}

export interface Replayed {
  readonly set: ProjectionSet;
  readonly outputHash: string;
  /** Events folded by this replay (after the checkpoint, if one was used). */
  readonly folded: number;
  readonly checkpoint: CheckpointRef | null;
  /** Why the newest checkpoint was not used, when there was one. */
  readonly checkpointSkipped: string | null;
}

const PAGE = 5000;

/** A checkpoint whose folded source events all lie inside the vector, restored; or null and why not. */
function startFrom(store: ReplayStore, projection: ProjectionId, vector: readonly InputEntry[], hasher: Hasher, settings: FleetSettings | undefined): { cp: Checkpoint; set: ProjectionSet; events: number } | string | null {
  const cp = store.latestCheckpoint(foldVersions(createProjections(settings)));
  if (!cp) return null;
  if (!bytesEqual(hasher.sha256(cp.state), cp.stateHash)) return `checkpoint ${cp.id} is damaged`;
  try {
    const s = decodeFoldState(cp.state, settings);
    if (!s.heads.withinVector(projectionById(s.set, projection).sources, vector)) return `checkpoint ${cp.id} covers events beyond the report's input`;
    return { cp, set: s.set, events: s.events };
  } catch (e) {
    if (e instanceof SnapshotError) return `checkpoint ${cp.id} cannot be used: ${e.message}`;
    throw e;
  }
}

/**
 * Folds exactly the vector's events and hashes the projection's output (of `version`, default
 * this build's), the fleet judged under `settings` (default: a new node's).
 */
export function replayTo(store: ReplayStore, projection: ProjectionId, vector: readonly InputEntry[], hasher: Hasher, useCheckpoint = true, version?: number, settings?: FleetSettings): Replayed {
  const limit = new Map<AuthorId, number>(vector.map((e) => [e.author, e.seq]));
  const start = useCheckpoint ? startFrom(store, projection, vector, hasher, settings) : null;
  const from = typeof start === 'object' && start !== null ? start : null;
  const set = from ? from.set : createProjections(settings);
  const table = new FoldTable(projectionList(set));
  let folded = 0;
  for (let cursor = from ? from.cp.cursor : 0; ; ) {
    const page = store.readSince(cursor, PAGE);
    if (page.events.length === 0) break;
    cursor = page.cursor;
    for (const ev of page.events) {
      const max = limit.get(ev.author);
      if (max === undefined || ev.seq > max) continue;
      table.apply(ev);
      folded++;
    }
  }
  return {
    set,
    outputHash: projectionOutputHash(projectionById(set, projection), hasher, version),
    folded,
    checkpoint: from ? { stateHash: toHex(from.cp.stateHash), events: from.events } : null,
    checkpointSkipped: typeof start === 'string' ? start : null,
  };
}
