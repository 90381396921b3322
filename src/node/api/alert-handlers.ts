// Console API for the alerts, and the lifecycle inspector and ingest history beside them: the ones the alerts projection derives from the events (the same on
// every node), plus trucks gone quiet, which this node decides on its own clock (labelled local),
// each with who acknowledged it; and acknowledging one (an alert.ack event, which replicates).
import { KINDS } from '../../core/events/kinds';
import type { Alert } from '../../core/projections/alert-rules';
import type { AlertDto, AlertsDto, ApiHandlers } from '../../shared/api';
import type { NodeApi } from './node-api';

type AlertHandlers = Pick<ApiHandlers, 'alerts.list' | 'alerts.ack' | 'trace.find' | 'ingest.history'>;

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}

function summaryOf(a: Pick<AlertDto, 'kind' | 'truck' | 'speedKmh' | 'limitKmh' | 'sinceMs' | 'atMs'>, fence: string | null): string {
  switch (a.kind) {
    case 'geofence_enter':
      return `${a.truck} entered ${fence}`;
    case 'geofence_exit':
      return `${a.truck} left ${fence}`;
    case 'overspeed':
      return `${a.truck} at ${a.speedKmh} km/h, over the ${a.limitKmh} km/h limit`;
    case 'stopped':
      return `${a.truck} has stood still for ${minutes(a.atMs - (a.sinceMs ?? a.atMs))}`;
    case 'quiet':
      return `${a.truck} has sent no fix for ${minutes(a.atMs - (a.sinceMs ?? a.atMs))} (on this node's clock)`;
  }
}

export function alertsList(node: NodeApi, status: 'open' | 'acknowledged' | 'all' = 'all'): AlertsDto {
  const p = node.projections.alerts;
  const fences = new Map(p.geofences().map((g) => [g.id, g]));
  const ackOf = (id: string): AlertDto['ack'] => {
    const a = p.acknowledgement(id);
    return a ? { author: a.at.author, name: node.nameOf(a.at.author), atMs: a.at.hlc.wall, note: a.note } : null;
  };
  const derived = p.alerts().map((a: Alert): AlertDto => {
    const fence = a.geofence ? (fences.get(a.geofence) ?? null) : null;
    const dto = { id: a.id, kind: a.kind, truck: a.truck, atMs: a.atMs, speedKmh: a.speedKmh, limitKmh: a.limitKmh, sinceMs: a.sinceMs };
    return { ...dto, geofence: fence ? { id: fence.id, name: fence.name } : null, local: false, ack: ackOf(a.id), summary: summaryOf(dto, fence?.name ?? a.geofence) };
  });
  const quietMs = node.fleetSettings().quietAlertMs;
  const now = node.nowMs();
  const quiet: AlertDto[] = [];
  if (quietMs !== null) {
    for (const truck of node.projections.fleet.truckIds()) {
      const last = node.projections.fleet.latestFixMs(truck);
      if (last === null || now - last < quietMs) continue;
      // Quiet since `last + quietMs`; the summary counts the silence up to now.
      const dto = { id: `quiet:${truck}:${last}`, kind: 'quiet' as const, truck, atMs: last + quietMs, speedKmh: null, limitKmh: null, sinceMs: last };
      quiet.push({ ...dto, geofence: null, local: true, ack: ackOf(dto.id), summary: summaryOf({ ...dto, atMs: now }, null) });
    }
  }
  const all = [...derived, ...quiet].sort((a, b) => b.atMs - a.atMs || (a.id < b.id ? -1 : 1));
  const shown = status === 'all' ? all : all.filter((a) => (a.ack === null) === (status === 'open'));
  return {
    alerts: shown.slice(0, 500),
    open: all.filter((a) => a.ack === null).length,
    geofences: [...fences.values()].map((g) => ({ id: g.id, name: g.name, ring: g.ring, maxSpeedKmh: g.maxSpeedKmh })),
  };
}

export function createAlertHandlers(node: NodeApi, fail: (code: string, m: string) => never): AlertHandlers {
  return {
    'alerts.list': (args) => {
      const status = (args as { status?: unknown } | null)?.status ?? 'all';
      if (status !== 'open' && status !== 'acknowledged' && status !== 'all') fail('bad_request', 'status must be open, acknowledged or all');
      return alertsList(node, status as 'open' | 'acknowledged' | 'all');
    },
    'ingest.history': () => node.ingestHistory(),
    'trace.find': (args) => {
      const q = (args as { query?: unknown } | null)?.query;
      if (typeof q !== 'string' || q.length > 200) fail('bad_request', 'query must be a webhook-id, a truck id or an event id');
      return node.inspect(q as string);
    },
    'alerts.ack': (args) => {
      const a = args as { id?: unknown; note?: unknown } | null;
      if (typeof a?.id !== 'string' || a.id.length === 0 || a.id.length > 200) fail('bad_request', 'id must be the id of an alert');
      if (a!.note !== undefined && typeof a!.note !== 'string') fail('bad_request', 'note must be text');
      const note = typeof a!.note === 'string' && a!.note.trim() ? a!.note.trim() : undefined;
      return node.append([{ kind: KINDS.alertAck, payload: note ? { alert: a!.id as string, note } : { alert: a!.id as string } }])[0]!;
    },
  };
}
