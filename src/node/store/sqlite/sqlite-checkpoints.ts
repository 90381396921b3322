// Checkpoints in SQLite: saved whole (a small state) or in parts (a large one: each part its own
// short transaction, then one commit that makes them a checkpoint), and read back whole either way.
import type Database from 'better-sqlite3';
import { snapshotFormatOf, type Checkpoint } from '../../../core/store/checkpoint-store';
import { MandalaError } from '../../errors';
import type { Statements } from './statements';

interface CheckpointRow {
  checkpoint_id: number;
  created_at_ms: number;
  cursor: number;
  event_count: number;
  frontier: Buffer;
  frontier_digest: Buffer;
  hlc_wall: number;
  hlc_counter: number;
  versions: string;
  state: Buffer;
  state_hash: Buffer;
  stage: number | null;
  parts: number;
}

export class SqliteCheckpoints {
  constructor(
    private readonly db: Database.Database,
    private readonly statements: Statements,
  ) {}

  save(c: Omit<Checkpoint, 'id'>, keep: number): void {
    this.db.transaction(() => {
      this.statements.insertCheckpoint.run(Math.floor(c.createdAtMs), c.cursor, c.eventCount, c.frontier, c.frontierDigest, c.hlcHigh.wall, c.hlcHigh.counter, c.versions, c.state, c.stateHash);
      // The parts of staged checkpoints just pruned go too; a stage still being written is newer than any committed one.
      this.prune(c.versions, keep, (this.statements.newestCommittedStage.get() as { stage: number }).stage);
    }).immediate();
  }

  openStage(): number {
    return (this.statements.nextCheckpointStage.get() as { stage: number }).stage;
  }

  addPart(stage: number, index: number, bytes: Uint8Array): void {
    this.statements.insertCheckpointPart.run(stage, index, bytes);
  }

  commitStage(stage: number, c: Omit<Checkpoint, 'id' | 'state'>, parts: number, keep: number): void {
    this.db.transaction(() => {
      const held = this.statements.countCheckpointParts.get(stage) as { n: number; top: number | null };
      if (parts < 1 || held.n !== parts || held.top !== parts - 1) {
        throw new MandalaError('checkpoint_parts_missing', `checkpoint stage ${stage} holds ${held.n} of its ${parts} parts; it was not saved`);
      }
      this.statements.insertStagedCheckpoint.run(Math.floor(c.createdAtMs), c.cursor, c.eventCount, c.frontier, c.frontierDigest, c.hlcHigh.wall, c.hlcHigh.counter, c.versions, c.stateHash, stage, parts);
      this.prune(c.versions, keep, stage);
    }).immediate();
  }

  /** Keeps the newest `keep` of these versions, and no parts of a stage up to `upTo` that belongs to no checkpoint. */
  private prune(versions: string, keep: number, upTo = Number.MAX_SAFE_INTEGER): void {
    this.statements.pruneCheckpoints.run(versions, versions, keep);
    const format = snapshotFormatOf(versions);
    if (format) this.statements.pruneOtherFormats.run(format, format);
    this.statements.dropLooseCheckpointParts.run(upTo);
  }

  latest(versions: string): Checkpoint | null {
    const r = this.statements.latestCheckpoint.get(versions) as CheckpointRow | undefined;
    if (!r) return null;
    let state: Uint8Array = r.state;
    if (r.stage !== null) {
      const parts = (this.statements.checkpointParts.all(r.stage) as { bytes: Buffer }[]).map((p) => p.bytes);
      // Parts that went missing leave a state whose hash does not match: the fold says so.
      state = parts.length === r.parts ? Buffer.concat(parts) : new Uint8Array(0);
    }
    return {
      id: r.checkpoint_id,
      createdAtMs: r.created_at_ms,
      cursor: r.cursor,
      eventCount: r.event_count,
      frontier: r.frontier,
      frontierDigest: r.frontier_digest,
      hlcHigh: { wall: r.hlc_wall, counter: r.hlc_counter },
      versions: r.versions,
      state,
      stateHash: r.state_hash,
    };
  }
}
