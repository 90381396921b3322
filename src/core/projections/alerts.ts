// alerts: geofence enter and exit, overspeed and stopped too long, raised only by live fixes
// (plausible, not historical) and the same on every node holding the same events under the same
// fleet settings (alert-rules.ts). A geofence is a record of form "geofence" (its `ring` a list
// of [lat, lon] vertices, its `name`, optionally its `max_speed_kmh`), in force for fixes
// recorded after the write that set its ring. A dispatcher's acknowledgement is an alert.ack
// event, so it replicates; the first in total order is the one shown. Acknowledgements of alerts
// this projection does not derive (a truck gone quiet, which a node decides on its own clock)
// are kept too, so the node that raised one can show who acknowledged it.
import type { Value } from '../encoding/canonical';
import type { Hasher } from '../crypto/ports';
import { compareTotalOrder, type EventBody, type FeedEvent } from '../events/event';
import { KINDS } from '../events/kinds';
import { decodePayload, type DecodedPayload } from '../events/payloads';
import { TruckAlertState, type Alert, type Geofence } from './alert-rules';
import type { FleetProjection } from './fleet';
import { FindingCounter } from './findings';
import type { Finding, Projection } from './projection';
import type { RecordsProjection } from './records';
import { asList, asNum, asStr, type AuthorTable } from './snapshot-codec';

export const GEOFENCE_FORM = 'geofence';

export interface Acknowledgement {
  readonly at: EventBody;
  readonly note: string | null;
}

interface TruckAlerts {
  state: TruckAlertState;
  /** Trail fixes taken (live ones through the rules, the others skipped). */
  processed: number;
  alerts: Alert[];
}

/** A geofence from its record, or null while it lacks a usable ring. */
function geofenceOf(records: RecordsProjection, id: string): Geofence | null {
  const ring = records.fieldWinner(id, 'ring');
  if (!ring || !Array.isArray(ring.value) || ring.value.length < 3) return null;
  const vertices: [number, number][] = [];
  for (const v of ring.value as Value[]) {
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number' || Math.abs(v[0]) > 90 || Math.abs(v[1]) > 180) return null;
    vertices.push([v[0], v[1]]);
  }
  const name = records.fieldWinner(id, 'name')?.value;
  const max = records.fieldWinner(id, 'max_speed_kmh')?.value;
  return { id, name: typeof name === 'string' ? name : id, ring: vertices, maxSpeedKmh: typeof max === 'number' && max > 0 ? max : null, since: ring.at };
}

export class AlertsProjection implements Projection {
  readonly id = 'alerts';
  readonly topic = 'fleet' as const;
  readonly version = 1;
  readonly kinds = [KINDS.alertAck];
  readonly sources: readonly string[] = [KINDS.alertAck, KINDS.fieldSet, KINDS.recordCreate, KINDS.truckPosition].sort();
  private readonly acks = new Map<string, Acknowledgement>();
  private readonly trucks = new Map<string, TruckAlerts>();
  private fences: Geofence[] = [];
  private fencesKey = '';
  private recordsSeen = -1;
  private readonly problems = new FindingCounter();

  constructor(
    private readonly records: RecordsProjection,
    private readonly fleet: FleetProjection,
  ) {}

  apply(ev: FeedEvent, payload: DecodedPayload = decodePayload(ev)): void {
    if (ev.kind !== KINDS.alertAck) return;
    if (payload.kind !== KINDS.alertAck) {
      this.problems.note('malformed_payload', 'alert.ack events had payloads that could not be folded');
      return;
    }
    const at: EventBody = { author: ev.author, seq: ev.seq, prev: ev.prev, hlc: ev.hlc, kind: ev.kind, payload: null };
    const known = this.acks.get(payload.alert);
    if (!known || compareTotalOrder(at, known.at) < 0) this.acks.set(payload.alert, { at, note: payload.note });
  }

  /** The geofences in force, by id. */
  geofences(): readonly Geofence[] {
    this.refreshFences();
    return this.fences;
  }

  private refreshFences(): void {
    if (this.records.changes === this.recordsSeen) return;
    this.recordsSeen = this.records.changes;
    const fences = this.records
      .idsOfForm(GEOFENCE_FORM)
      .sort()
      .map((id) => geofenceOf(this.records, id))
      .filter((g): g is Geofence => g !== null);
    const key = JSON.stringify(fences.map((g) => [g.id, g.ring, g.maxSpeedKmh, g.since.author, g.since.seq]));
    if (key === this.fencesKey) return;
    // Another geofence, or another ring: every truck's fixes go through the rules again.
    this.fences = fences;
    this.fencesKey = key;
    this.trucks.clear();
  }

  /** Every alert, oldest first (by fix time, then id). */
  alerts(): Alert[] {
    this.refreshFences();
    const out: Alert[] = [];
    for (const truck of this.fleet.unorderedTruckIds()) out.push(...this.truckAlerts(truck));
    return out.sort((a, b) => a.atMs - b.atMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private truckAlerts(truck: string): readonly Alert[] {
    let t = this.trucks.get(truck);
    if (!t) this.trucks.set(truck, (t = { state: new TruckAlertState(truck, this.fleet.settings), processed: 0, alerts: [] }));
    const input = this.fleet.alertInput(truck, t.processed);
    if (!input) return t.alerts;
    if (input.restart) {
      t.state = new TruckAlertState(truck, this.fleet.settings);
      t.alerts = [];
    }
    for (const f of input.fixes) if (f.flag === null && !f.historical) t.alerts.push(...t.state.take(f, this.fences));
    t.processed = input.from + input.fixes.length;
    return t.alerts;
  }

  /**
   * Takes the trucks' new fixes through the rules while `more()` says so (a node spreads the first
   * pass over a season of fixes across turns of its event loop). Returns how many trucks it did
   * not get to.
   */
  prepareHash(_hasher: Hasher, more: () => boolean): number {
    this.refreshFences();
    let left = 0;
    for (const truck of this.fleet.unorderedTruckIds()) {
      if (left > 0 || !more()) left++;
      else this.truckAlerts(truck);
    }
    return left;
  }

  /** Who acknowledged an alert (here or on any node whose events reached this one), or null. */
  acknowledgement(alertId: string): Acknowledgement | null {
    return this.acks.get(alertId) ?? null;
  }

  view(): Value {
    const ack = (a: Acknowledgement | null): Value => (a ? { author: a.at.author, seq: a.at.seq, hlc: [a.at.hlc.wall, a.at.hlc.counter], note: a.note } : null);
    const derived = this.alerts();
    const ids = new Set(derived.map((a) => a.id));
    const others: Record<string, Value> = {};
    for (const id of [...this.acks.keys()].sort()) if (!ids.has(id)) others[id] = ack(this.acks.get(id)!);
    return {
      alerts: derived.map((a) => ({
        id: a.id,
        kind: a.kind,
        truck: a.truck,
        at_ms: a.atMs,
        fix: [a.fix.at.author, a.fix.at.seq],
        geofence: a.geofence,
        speed_kmh: a.speedKmh,
        limit_kmh: a.limitKmh,
        since_ms: a.sinceMs,
        ack: ack(this.acks.get(a.id) ?? null),
      })),
      other_acks: others,
    };
  }

  findings(): readonly Finding[] {
    return this.problems.list();
  }

  /** The fold's state for a checkpoint: the acknowledgements (the alerts are worked out again from the fleet). */
  exportState(authors: AuthorTable): Value {
    return {
      acks: [...this.acks].map(([id, a]) => [id, authors.idx(a.at.author), a.at.seq, a.at.hlc.wall, a.at.hlc.counter, a.note]),
      problems: this.problems.export(),
    };
  }

  importState(v: Value, authors: readonly string[]): void {
    const m = v as Record<string, Value>;
    for (const row of asList(m['acks'], 'acks')) {
      const [id, a, seq, wall, counter, note] = asList(row, 'ack');
      const author = authors[asNum(a, 'ack author')];
      if (author === undefined) continue;
      const at: EventBody = { author, seq: asNum(seq, 'ack seq'), prev: null, hlc: { wall: asNum(wall, 'ack wall'), counter: asNum(counter, 'ack counter') }, kind: KINDS.alertAck, payload: null };
      this.acks.set(asStr(id, 'ack id'), { at, note: typeof note === 'string' ? note : null });
    }
    this.problems.load(asList(m['problems'], 'problems') as [string, number, string][]);
  }
}
