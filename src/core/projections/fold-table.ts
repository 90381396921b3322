// Which folds read which event kinds, in one table: every event is decoded once and handed to
// exactly the folds that read its kind, in the order the folds were given (a fold that must see
// the state before another's update goes first).
import type { FeedEvent } from '../events/event';
import { decodePayload } from '../events/payloads';
import type { Fold } from './projection';

const NO_FOLDS: readonly Fold[] = Object.freeze([]);

export class FoldTable {
  private readonly byKind = new Map<string, Fold[]>();

  constructor(folds: readonly Fold[]) {
    for (const fold of folds) {
      for (const kind of fold.sources) {
        let list = this.byKind.get(kind);
        if (!list) this.byKind.set(kind, (list = []));
        list.push(fold);
      }
    }
  }

  /** Folds one event into every fold that reads its kind; returns those folds. */
  apply(ev: FeedEvent): readonly Fold[] {
    const folds = this.byKind.get(ev.kind);
    if (!folds) return NO_FOLDS;
    const payload = decodePayload(ev);
    for (const fold of folds) fold.apply(ev, payload);
    return folds;
  }
}
