// The checkpoint store port: saved states of every projection, each with exactly which events it
// covers, so a restart, a report or a verification folds only what came after. Optional
// acceleration: a store that keeps none is still correct (test/store/suites/checkpoint-store-suite.ts).
import type { HlcStamp } from '../clock/hlc';

/** A saved state of every projection, and exactly which events it covers. */
export interface Checkpoint {
  readonly id: number;
  readonly createdAtMs: number;
  /** The store's arrival position the state covers (events at or below it are in it). */
  readonly cursor: number;
  readonly eventCount: number;
  /** Canonical bytes of the frontier it covers: {author: [seq, head id]}. */
  readonly frontier: Uint8Array;
  readonly frontierDigest: Uint8Array;
  readonly hlcHigh: HlcStamp;
  /** Projection versions the state was folded by ("records:2,fleet:1,..."): others cannot use it. */
  readonly versions: string;
  readonly state: Uint8Array;
  readonly stateHash: Uint8Array;
}

/**
 * The state format a checkpoint's versions name ("snapshot:2," of "snapshot:2,records:3,..."),
 * or null. A build reads only its own format: saving one drops every checkpoint of another.
 */
export function snapshotFormatOf(versions: string): string | null {
  if (!versions.startsWith('snapshot:')) return null;
  const comma = versions.indexOf(',');
  return comma < 0 ? versions : versions.slice(0, comma + 1);
}

export interface CheckpointStore {
  /** Saves a checkpoint and keeps only the newest `keep` of the same versions (and none of another snapshot format). */
  saveCheckpoint(c: Omit<Checkpoint, 'id'>, keep: number): void;
  /**
   * A large state is written in parts, each its own short write, so saving a checkpoint never
   * holds the store (or the event loop) for long: open a stage, add its parts in order, then
   * commit them as one checkpoint (which also drops the parts of older stages never committed).
   * Until the commit, nothing of the stage is visible.
   */
  openCheckpointStage(): number;
  addCheckpointPart(stage: number, index: number, bytes: Uint8Array): void;
  /**
   * Saves a checkpoint whose state is the stage's `parts` parts (0..parts-1) joined in order;
   * keeps the newest `keep`. Throws when a part is missing: nothing is saved then.
   */
  commitCheckpointStage(stage: number, c: Omit<Checkpoint, 'id' | 'state'>, parts: number, keep: number): void;
  /** The newest checkpoint folded by exactly these projection versions. */
  latestCheckpoint(versions: string): Checkpoint | null;
}
