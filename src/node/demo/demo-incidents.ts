// What goes wrong in a real fleet, staged in the demo so the conflict timeline has something to
// show within a minute or two:
//   - a contested edit: while the mesh is partitioned, a camp on each side re-plans the same
//     convoy (a concurrent conflict). The demo never settles it: it stays open until a user does
//     (in the console, or with `mandala record set`), and only then does a later partition stage
//     another;
//   - a GPS glitch: now and then a kit reports a fix hundreds of kilometres off (implausible);
//   - a dead zone: a truck's kit holds its fixes for a few minutes and sends them late (delayed).
import type { Value } from '../../core/encoding/canonical';
import { KINDS } from '../../core/events/kinds';
import type { LocalDraft } from '../../core/store/feed-log';
import type { SeededRandom } from '../../core/util/random';
import type { NodeApi } from '../api/node-api';
import { simulateFix, type SimFix, type SimTruck } from './truck-sim';

export const CONVOY = 'CV-1';
const ETAS = ['06:00', '07:30', '09:00', '11:15', '14:00'];
/** A stretch of road with no coverage: 150 s of every 5 minutes, the first from 20 s into the demo. */
export function inDeadZone(sinceStartMs: number): boolean {
  const s = Math.floor(sinceStartMs / 1000) % 300;
  return s >= 20 && s < 170;
}

export interface DemoWriter {
  readonly name: string;
  readonly node: NodeApi;
}

/** Both sides of a partition edit the convoy's ETA without seeing each other (unless one is still open). */
export function contestedEdit(sides: readonly DemoWriter[], rng: SeededRandom): void {
  if (sides.some((w) => w.node.projections.records.headsOf(CONVOY, 'eta').length > 1)) return;
  const first = rng.int(0, ETAS.length - 1);
  for (const [i, w] of sides.entries()) {
    const records = w.node.projections.records;
    const drafts: LocalDraft[] = [];
    if (records.formOf(CONVOY) === null) drafts.push({ kind: KINDS.recordCreate, payload: { record_id: CONVOY, form: 'convoy_plan' } });
    drafts.push(records.draftSet(CONVOY, 'eta', ETAS[(first + i) % ETAS.length]! as Value)); // each side picks a different time
    drafts.push({ kind: KINDS.noteAdd, payload: { record_id: CONVOY, text: `${w.name} re-planned the convoy while cut off` } });
    w.node.append(drafts);
  }
}

/** A fix far off the road: GPS multipath, or a kit that lost its almanac. */
export function glitchFix(truck: SimTruck, nowMs: number, rng: SeededRandom): SimFix {
  const real = simulateFix(truck, nowMs);
  const jump = rng.chance(0.3) ? { lat_e6: 0, lon_e6: 0 } : { lat_e6: real.lat_e6 + rng.int(2_000_000, 4_000_000), lon_e6: real.lon_e6 - rng.int(2_000_000, 4_000_000) };
  return { ...real, ...jump };
}

/** One truck whose kit is out of reach: its fixes wait, then arrive together, minutes late. */
export class DeadZone {
  private held: SimFix[] = [];

  constructor(readonly truckId: string) {}

  /** The fixes to send now: none while out of coverage, all of them when it ends. */
  next(fix: SimFix, outOfCoverage: boolean): SimFix[] {
    if (outOfCoverage) {
      this.held.push(fix);
      return [];
    }
    const out = [...this.held, fix];
    this.held = [];
    return out;
  }
}
