// PROVES: any store's checkpoint store gives back exactly what was saved, only to the projection
//         versions that folded it, the newest first, and a restored fold equals a fold from
//         scratch.
// CATCHES: a checkpoint of another fold version reused (a silent wrong state); an older
//          checkpoint served as the newest; bytes altered on the way through.
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../../src/core/store/checkpoint-store';
import { LiveState } from '../../../src/core/live/live-state';
import { projectionHashes } from '../../../src/core/projections/set';
import { crypto, FeedBuilder } from '../../support/feeds';
import { NOW, withStore, type MakeHarness } from './harness';

function checkpoint(cursor: number, versions: string): Omit<Checkpoint, 'id'> {
  return {
    createdAtMs: NOW + cursor,
    cursor,
    eventCount: cursor,
    frontier: new Uint8Array([1, 2, cursor]),
    frontierDigest: new Uint8Array(32).fill(cursor),
    hlcHigh: { wall: NOW + cursor, counter: 3 },
    versions,
    state: new Uint8Array([9, 8, 7, cursor]),
    stateHash: new Uint8Array(32).fill(cursor + 1),
  };
}

export function runCheckpointStoreSuite(name: string, persistent: boolean, make: MakeHarness): void {
  describe(`CheckpointStore acceptance: ${name}`, () => {
    it('a_saved_checkpoint_is_read_back_and_restores_the_same_fold', () => {
      const h = make();
      try {
        const a = new FeedBuilder('cp-a');
        for (let i = 0; i < 30; i++) a.add(i % 3 ? 'truck.position' : 'field.set', i % 3 ? { truck: 'T-1', fix_ms: 1_700_000_000_000 + i * 1000, lat_e6: 1_000_000 + i, lon_e6: 36_000_000 + i } : { record_id: 'R', field: 'f', value: i, deps: [] });
        h.store.ingest([a.run(1, 20)], NOW);
        const live = LiveState.open(h.store, crypto);
        h.store.saveCheckpoint(live.checkpoint(NOW, crypto), 2);
        h.store.ingest([a.run(21, 30)], NOW);
        const store = h.reopen ? h.reopen() : h.store;
        const restored = LiveState.open(store, crypto);
        expect(restored.checkpointProblem).toBeNull();
        expect(restored.startedFrom?.events).toBe(20);
        const scratch = new LiveState();
        scratch.catchUp(store);
        expect(projectionHashes(restored.projections, crypto)).toEqual(projectionHashes(scratch.projections, crypto));
        expect(restored.eventCount).toBe(30);
      } finally {
        h.cleanup();
      }
    });


    it('a_checkpoint_comes_back_byte_identical_and_only_for_its_versions', withStore(make, ({ store }) => {
      expect(store.latestCheckpoint('records:1')).toBeNull();
      store.saveCheckpoint(checkpoint(10, 'records:1'), 2);
      store.saveCheckpoint(checkpoint(20, 'records:2'), 2);
      const back = store.latestCheckpoint('records:1')!;
      const { id, ...rest } = back;
      expect(typeof id).toBe('number');
      expect({ ...rest, frontier: [...rest.frontier], frontierDigest: [...rest.frontierDigest], state: [...rest.state], stateHash: [...rest.stateHash] }).toEqual({
        ...checkpoint(10, 'records:1'),
        frontier: [1, 2, 10],
        frontierDigest: [...new Uint8Array(32).fill(10)],
        state: [9, 8, 7, 10],
        stateHash: [...new Uint8Array(32).fill(11)],
      });
      expect(store.latestCheckpoint('records:2')!.cursor).toBe(20);
      expect(store.latestCheckpoint('records:3')).toBeNull();
    }));

    it('a_checkpoint_written_in_parts_comes_back_whole_and_only_once_committed', withStore(make, (h) => {
      const { state, ...meta } = checkpoint(50, 'v');
      void state;
      h.store.saveCheckpoint(checkpoint(40, 'v'), 2);
      const stage = h.store.openCheckpointStage();
      h.store.addCheckpointPart(stage, 0, new Uint8Array([1, 2, 3]));
      h.store.addCheckpointPart(stage, 1, new Uint8Array([4, 5]));
      expect(h.store.latestCheckpoint('v')!.cursor, 'parts are invisible until the commit').toBe(40);
      h.store.commitCheckpointStage(stage, meta, 2, 2);
      const back = (h.reopen ? h.reopen() : h.store).latestCheckpoint('v')!;
      expect(back.cursor).toBe(50);
      expect([...back.state]).toEqual([1, 2, 3, 4, 5]);
      expect([...back.stateHash]).toEqual([...meta.stateHash]);
    }));

    it('a_stage_missing_a_part_is_refused_and_saves_nothing', withStore(make, (h) => {
      const { state, ...meta } = checkpoint(90, 'v');
      void state;
      h.store.saveCheckpoint(checkpoint(30, 'v'), 2);
      const stage = h.store.openCheckpointStage();
      h.store.addCheckpointPart(stage, 0, new Uint8Array([1]));
      h.store.addCheckpointPart(stage, 2, new Uint8Array([3]));
      expect(() => h.store.commitCheckpointStage(stage, meta, 3, 2)).toThrow(expect.objectContaining({ code: 'checkpoint_parts_missing' }));
      expect(h.store.latestCheckpoint('v')!.cursor, 'the good checkpoint is still the newest').toBe(30);
    }));

    it('a_stage_never_committed_is_dropped_and_a_later_one_still_commits', withStore(make, (h) => {
      const abandoned = h.store.openCheckpointStage();
      h.store.addCheckpointPart(abandoned, 0, new Uint8Array([7, 7, 7]));
      const store = h.reopen ? h.reopen() : h.store;
      const { state, ...meta } = checkpoint(60, 'v');
      void state;
      const stage = store.openCheckpointStage();
      expect(stage, 'a new stage never reuses an abandoned one').not.toBe(abandoned);
      store.addCheckpointPart(stage, 0, new Uint8Array([6]));
      store.commitCheckpointStage(stage, meta, 1, 2);
      expect([...store.latestCheckpoint('v')!.state]).toEqual([6]);
      for (const c of [70, 80]) store.saveCheckpoint(checkpoint(c, 'v'), 2);
      expect(store.latestCheckpoint('v')!.cursor).toBe(80);
    }));

    it('saving_a_checkpoint_drops_those_of_another_snapshot_format_and_keeps_other_settings', withStore(make, (h) => {
      h.store.saveCheckpoint(checkpoint(5, 'snapshot:12,fleet:3[b]'), 2);
      h.store.saveCheckpoint(checkpoint(10, 'snapshot:1,fleet:3[a]'), 2);
      expect(h.store.latestCheckpoint('snapshot:12,fleet:3[b]'), 'format 12 is another format than 1: dropped').toBeNull();
      h.store.saveCheckpoint(checkpoint(20, 'snapshot:2,fleet:3[b]'), 2);
      h.store.saveCheckpoint(checkpoint(30, 'snapshot:2,fleet:3[a]'), 2);
      // No build reads format 1 or 12 beside format 2: they only took room.
      expect(h.store.latestCheckpoint('snapshot:1,fleet:3[a]')).toBeNull();
      expect(h.store.latestCheckpoint('snapshot:12,fleet:3[b]')).toBeNull();
      // Other fleet settings of the same format stay, for a return to them.
      expect(h.store.latestCheckpoint('snapshot:2,fleet:3[b]')!.cursor).toBe(20);
      expect(h.store.latestCheckpoint('snapshot:2,fleet:3[a]')!.cursor).toBe(30);
      if (persistent) expect(h.reopen!().latestCheckpoint('snapshot:1,fleet:3[a]')).toBeNull();
    }));

    it('the_newest_checkpoint_is_the_one_returned_after_pruning', withStore(make, (h) => {
      for (const c of [10, 20, 30, 40]) h.store.saveCheckpoint(checkpoint(c, 'v'), 2);
      expect(h.store.latestCheckpoint('v')!.cursor).toBe(40);
      if (persistent) expect(h.reopen!().latestCheckpoint('v')!.cursor, 'the newest survives a restart').toBe(40);
    }));
  });
}
