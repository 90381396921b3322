// The node's problem log: what went wrong that a person should know about, by stable code, with
// the latest sentence, when it last happened and how often. The console shows it (node.info's
// warnings); a repeat of the same code updates its row instead of adding one.
import type { Clock } from '../../core/clock/clock';
import { Emitter } from '../../core/util/emitter';
import type { ProblemDto } from '../../shared/api';

export class ProblemLog {
  private readonly byCode = new Map<string, ProblemDto>();
  readonly events = new Emitter<{ changed: []; listenerError: [error: unknown] }>();

  constructor(private readonly clock: Clock) {}

  warn(code: string, message: string): void {
    const prev = this.byCode.get(code);
    this.byCode.set(code, { code, message, atMs: this.clock.nowMs(), count: (prev?.count ?? 0) + 1 });
    this.events.emit('changed');
  }

  /** The problem is over (a recovered feed, a radio back online): its row goes away. */
  clear(code: string): void {
    if (this.byCode.delete(code)) this.events.emit('changed');
  }

  /** A fault in this node's own code: keep running, and say where it happened. */
  internalError(where: string, e: unknown): void {
    const err = e as Error;
    this.warn(err?.name === 'MandalaError' ? (e as { code: string }).code : 'internal_error', `handling ${where}: ${err?.message ?? String(e)}`);
  }

  /** Newest first. */
  list(): ProblemDto[] {
    return [...this.byCode.values()].sort((a, b) => b.atMs - a.atMs);
  }
}
