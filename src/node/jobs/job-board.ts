// The node's long jobs as they run (an export, a fold of every event again, a Consistent report),
// for the console's header and forms: what is being done, how far it got when that is known, and
// since when. A job is on the board from begin() to end(); a failed one ends too (its error goes
// back to whoever asked). The board says when it changed; the node's push throttle paces that.
import type { JobDto, JobKind } from '../../shared/api';

export interface Job {
  /** How far it got: `done` of `total` units (fixes, events). */
  progress(done: number, total: number): void;
  end(): void;
}

export interface JobBoardOptions {
  readonly nowMs: () => number;
  readonly changed: () => void;
}

export class JobBoard {
  private next = 1;
  private readonly running = new Map<number, { kind: JobKind; label: string; done: number | null; total: number | null; startedAtMs: number }>();

  constructor(private readonly opts: JobBoardOptions) {}

  /** `total`: the units of work when known at the start (its progress then starts at 0). */
  begin(kind: JobKind, label: string, total: number | null = null): Job {
    const id = this.next++;
    const job = { kind, label, done: total === null ? null : 0, total, startedAtMs: this.opts.nowMs() };
    this.running.set(id, job);
    this.opts.changed();
    return {
      progress: (done, total) => {
        if (!this.running.has(id) || (job.done === done && job.total === total)) return;
        job.done = done;
        job.total = total;
        this.opts.changed();
      },
      end: () => {
        if (this.running.delete(id)) this.opts.changed();
      },
    };
  }

  /** Runs `work` as a job: on the board until it settles, however it settles. */
  async run<T>(kind: JobKind, label: string, work: (job: Job) => Promise<T>, total: number | null = null): Promise<T> {
    const job = this.begin(kind, label, total);
    try {
      return await work(job);
    } finally {
      job.end();
    }
  }

  list(): JobDto[] {
    return [...this.running].map(([id, j]) => ({ id, kind: j.kind, label: j.label, done: j.done, total: j.total, startedAtMs: j.startedAtMs }));
  }
}
