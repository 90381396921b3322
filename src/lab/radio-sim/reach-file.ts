// Watches DIR/reach.json and hands each new valid version to the simulator. It owns the polling
// and the judgement of half-written files, nothing else: the format is reach-spec.ts's.
//
// It polls the file's content (not its mtime, which can stay put across quick rewrites). An empty
// or unparseable read is taken to be an editor or script mid-write: the previous reach stays, and
// only when the same broken content is still there on the next poll is it reported, once. A file
// that disappears means "back to the default".
import { readFile } from 'node:fs/promises';
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { parseReach, type ReachMatrix } from './reach-spec';

export interface ReachFileEvents {
  /** A new valid reach; null when the file was removed. */
  onReach(matrix: ReachMatrix | null): void;
  onProblem(message: string): void;
}

export class ReachFileWatcher {
  private timer: TimerHandle | null = null;
  private applied: string | null = null;
  private pendingBad: string | null = null;
  private reported: string | null = null;
  private running = false;

  constructor(
    readonly path: string,
    private readonly nodes: number,
    private readonly scheduler: Scheduler,
    private readonly events: ReachFileEvents,
    private readonly intervalMs = 200,
  ) {}

  /** Reads the file once now (so a reach.json present at start applies before any traffic), then polls. */
  async start(): Promise<void> {
    this.running = true;
    await this.poll();
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.scheduler.after(this.intervalMs, () => {
      void this.poll().finally(() => this.schedule());
    });
  }

  private async poll(): Promise<void> {
    let text: string | null;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return this.report(`cannot read ${this.path}: ${(e as Error).message}`);
      text = null;
    }
    if (!this.running) return; // stopped while reading
    if (text === null) {
      if (this.applied !== null) {
        this.applied = null;
        this.events.onReach(null);
      }
      return;
    }
    if (text === this.applied) return;
    if (text.trim() === '') return; // truncated for rewriting; wait for the content
    let matrix: ReachMatrix;
    try {
      matrix = parseReach(text, this.nodes);
    } catch (e) {
      // Half-written, or really wrong: only a second identical read tells them apart.
      if (this.pendingBad === text) this.report(`${this.path}: ${(e as Error).message}; keeping the previous reach`);
      this.pendingBad = text;
      return;
    }
    this.pendingBad = null;
    this.reported = null;
    this.applied = text;
    this.events.onReach(matrix);
  }

  private report(message: string): void {
    if (this.reported === message) return;
    this.reported = message;
    this.events.onProblem(message);
  }
}
