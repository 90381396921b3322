// The node's live view of its store: projections folded from every stored event exactly once,
// in the order this store appended them, whoever appended them (this process, a CLI verb on the
// same data folder, or a peer). Also the node-local facts that are not part of any projection's
// hash: the event-time latch (which fixes arrived "historical") and authors' display names.
import type { FeedEvent } from '../../core/events/event';
import { KINDS, asMap } from '../../core/events/kinds';
import type { FeedStore } from '../../core/feed/store';
import { applyAll, createProjections, type ProjectionSet } from '../../core/projections/set';
import { RecordsProjection } from '../../core/projections/records';

export interface CatchUp {
  readonly events: number;
  readonly fleetChanged: boolean;
  readonly recordsChanged: boolean;
  readonly namesChanged: boolean;
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

export class LiveState {
  readonly projections: ProjectionSet = createProjections();
  readonly names = new Map<string, string>();
  /** Per truck: how many fixes arrived historical on this node. */
  readonly historical = new Map<string, number>();
  /** Fork reports folded since the node last looked (it verifies them and quarantines). */
  readonly forkReports: FeedEvent[] = [];
  private cursor = 0;

  /** Folds every event the store appended since the last call. */
  catchUp(store: FeedStore): CatchUp {
    let events = 0;
    let fleetChanged = false;
    let recordsChanged = false;
    let namesChanged = false;
    let historical = 0;
    for (;;) {
      const page = store.readSince(this.cursor, PAGE);
      if (page.events.length === 0) break;
      this.cursor = page.cursor;
      for (const ev of page.events) {
        events++;
        // Latch first (against what was committed before this event), then fold it.
        if (ev.kind === KINDS.truckPosition) {
          fleetChanged = true;
          if (this.latch(ev)) historical++;
        } else if (this.projections.records.kinds.includes(ev.kind as never)) {
          recordsChanged = true;
        } else if (ev.kind === KINDS.forkReport) {
          this.forkReports.push(ev);
        } else if (ev.kind === KINDS.nodeProfile) {
          const name = asMap(ev.payload)?.['name'];
          if (typeof name === 'string') {
            this.names.set(ev.author, name);
            namesChanged = true;
          }
        }
        applyAll(this.projections, [ev]);
      }
    }
    return { events, fleetChanged, recordsChanged, namesChanged, historical };
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
