// PROVES: the node's long jobs are on the board while they run, with how far they got, and leave
//         it however they end: a console export of a few thousand fixes shows as an export job
//         whose progress rises to its total before the file comes back, a refused export leaves
//         no job behind, and node.info lists the jobs for the console's header.
// CATCHES: a progress bar that never moves, a job stuck on the board after its export failed.
import { describe, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { KINDS } from '../../src/core/events/kinds';
import { createHandlers } from '../../src/node/api/handlers';
import { JobBoard } from '../../src/node/jobs/job-board';
import type { JobDto } from '../../src/shared/api';
import { simNode } from '../support/nodes';

describe('long jobs', () => {
  it('a_job_is_listed_from_begin_to_end_even_when_it_fails', async () => {
    let changes = 0;
    let now = 1000;
    const board = new JobBoard({ nowMs: () => now, changed: () => changes++ });
    const job = board.begin('rebuild', 'folding every event again');
    now = 4000;
    job.progress(10, 40);
    job.progress(10, 40); // unchanged: not told again
    expect(board.list()).toEqual([{ id: 1, kind: 'rebuild', label: 'folding every event again', done: 10, total: 40, startedAtMs: 1000 }]);
    expect(changes).toBe(2);
    job.end();
    job.end();
    expect(board.list()).toEqual([]);
    expect(changes).toBe(3);
    await expect(board.run('report', 'making a report', async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect(board.list()).toEqual([]);
  });

  it('a_console_export_shows_its_progress_and_leaves_the_board_when_done', async () => {
    const scheduler = new VirtualScheduler();
    const sim = await simNode('base', scheduler, []);
    try {
      const n = 3000;
      const drafts = Array.from({ length: n }, (_, i) => ({ kind: KINDS.truckPosition, payload: { truck: 'KBT 377M', lat_e6: 1_000_000 + i * 10, lon_e6: 36_000_000 + i * 10, fix_ms: 1_700_000_000_000 + i * 5000, speed_kmh: 40 } }));
      for (let i = 0; i < n; i += 500) sim.node.writer.append(drafts.slice(i, i + 500));
      sim.node.live.catchUp();
      // The board as the console sees it, each time it says it changed.
      const seen: JobDto[] = [];
      const board: JobBoard = new JobBoard({ nowMs: () => scheduler.nowMs(), changed: () => seen.push(...board.list()) });
      const handlers = createHandlers({ ...sim.node.api, jobs: board }, 'test');
      const file = await handlers['export.tracks']({ format: 'csv' });
      expect(file.points).toBe(n);
      const exports = seen.filter((j) => j.kind === 'export');
      expect(exports.length).toBeGreaterThan(0);
      expect(exports[0]!.label).toBe('exporting 3,000 fixes as CSV');
      expect(exports.every((j) => j.total === n)).toBe(true);
      // Seen part way, not only at the ends.
      expect(exports.some((j) => j.done !== null && j.done > 0 && j.done < n)).toBe(true);
      expect(board.list()).toEqual([]);
      expect((await handlers['node.info']({})).jobs).toEqual([]);

      // A refused export (an unknown truck) leaves nothing on the board.
      await expect(handlers['export.tracks']({ format: 'gpx', trucks: ['NOPE'] })).rejects.toThrow();
      expect(board.list()).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
