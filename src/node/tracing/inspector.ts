// The lifecycle inspector: finds a delivery by its webhook-id, a truck or an event id, and says
// where its positions are and why, in words: the steps its trace recorded (refused at the
// signature, denied by a gate, durable in the inbox, appended), and where they stand now, read
// from the node itself (how many positions are ahead of them in the inbox, whether the fix is on
// the map, historical or flagged, and which peers' frontiers hold it).
import type { FleetProjection } from '../../core/projections/fleet';
import type { LifecycleDto, LifecycleStepDto } from '../../shared/api';
import type { Lifecycle } from './lifecycle';
import type { StoredSpan, TraceSummary } from './trace-types';

export interface InspectorDeps {
  readonly lifecycle: Lifecycle;
  readonly fleet: FleetProjection;
  readonly drained: () => number;
  readonly peerHolds: (author: string, seq: number) => readonly { name: string; holds: boolean | null }[];
  readonly nameOf: (author: string) => string;
}

/** A delivery as the inspector reads it: in memory (on its way, or lately) or kept on disk. */
type TraceView = Omit<TraceSummary, 'rootSpanId' | 'open'> & {
  readonly isOpen: boolean;
  readonly queue: { ahead: number; drainedThen: number } | null;
  /** Taken in before the node last restarted. */
  readonly resumed: boolean;
};

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;

function stepWords(s: StoredSpan, d: TraceView, nameOf: (a: string) => string): string {
  const a = s.attributes;
  const why = s.error ? `${s.message ?? ''} (${s.error})` : '';
  switch (s.name) {
    case 'position.received': {
      if (a['mandala.source'] === 'osmand') return `received a report from phone ${String(a['mandala.device'] ?? '?')}`;
      if (a['mandala.source'] === 'gps') return `recorded from this kit's GPS (${String(a['mandala.device'] ?? '?')})`;
      if (a['mandala.source'] === 'cli') return `written by the command line (mandala ${String(a['mandala.command'] ?? '?')})`;
      if (a['mandala.source'] === 'peer') return `received ${plural(Number(a['mandala.positions'] ?? 0), 'position')} from peer ${String(a['mandala.peer'] ?? '?')}`;
      if (a['mandala.source'] === 'webhook' && a['mandala.vendor'] === undefined) return `received a delivery (webhook-id ${String(a['webhook.id'] ?? '?')}) from a sender not yet known`;
      const from = a['mandala.source'] === 'webhook' ? `vendor ${String(a['mandala.vendor'])} (webhook-id ${String(a['webhook.id'] ?? '?')})` : String(a['mandala.source']);
      return `received ${plural(Number(a['mandala.positions'] ?? 0), 'position')} from ${from}`;
    }
    case 'signature.check': {
      const refused = Number(a['mandala.refused'] ?? 0);
      if (s.error) return `refused at the signature: ${why}`;
      return refused > 0 ? `signatures checked (${plural(refused, 'run')} refused, the rest sound)` : 'signature checked';
    }
    case 'body.parse':
      return `refused: ${why}`;
    case 'gate.check':
      return s.error ? `denied by gate ${s.error}: ${s.message ?? ''}` : 'passed the gates';
    case 'inbox.buffer':
      return a['mandala.outcome'] === 'duplicate' ? 'a delivery seen before (the same webhook-id): nothing new was taken' : `durable in the inbox, ${plural(Number(a['mandala.ahead'] ?? 0), 'position')} ahead`;
    case 'feed.append': {
      if (s.error) return `denied by gate ${s.error}: ${s.message ?? ''}`;
      const refs = d.refs.map((r) => `${nameOf(r.split('#')[0]!)}#${r.split('#')[1]}`);
      const count = Number(a['mandala.appended'] ?? refs.length);
      if (count === 0) return Number(a['mandala.duplicates'] ?? 0) > 0 ? 'held already: nothing new was stored' : 'nothing was appended';
      const where = d.attributes['mandala.source'] === 'peer' ? 'stored in the log' : "appended to this node's feed";
      const waiting = Number(a['mandala.waiting'] ?? 0);
      return `${where} as ${refs.slice(0, 3).join(', ')}${count > 3 ? ` and ${count - 3} more` : ''}${waiting ? `; ${plural(waiting, 'event')} wait for earlier ones` : ''}`;
    }
    case 'fleet.project':
      return 'folded into the fleet projection (the map and the alerts)';
    case 'peer.relay':
      return `relayed to peer ${String(a['mandala.peer'] ?? '?')}: its frontier holds it (${((s.endMs - s.startMs) / 1000).toFixed(1)} s after the append)`;
    default:
      return s.name;
  }
}

/** Where the appended positions are now: on the map or not, and which peers hold them. */
function nowWords(d: TraceView, deps: InspectorDeps): string[] {
  const out: string[] = [];
  const refs = d.refs.map((r) => ({ author: r.split('#')[0]!, seq: Number(r.split('#')[1]) }));
  // A delivery's positions are appended in order: the i-th appended one is the i-th position.
  d.positions.slice(0, 3).forEach((p, i) => {
    const ref = refs[i];
    if (!ref) return;
    const fix = deps.fleet.findFix(p.truck, p.fixMs, ref.author, ref.seq);
    if (!fix) return;
    if (fix.flag) out.push(`${p.truck}: kept but flagged ${fix.flag}, so it is not the truck's position and fires no alert`);
    else if (fix.historical) out.push(`${p.truck}: in the trail as a historical fix (recorded after a newer one): it fires no alert`);
    else out.push(`${p.truck}: on the map, in the truck's trail`);
  });
  if (refs.length === 0) return out;
  const last = refs.reduce((m, r) => (r.author === m.author && r.seq > m.seq ? r : m), refs[0]!);
  const peers = deps.peerHolds(last.author, last.seq);
  if (peers.length === 0) out.push('no peer to relay to yet');
  for (const p of peers) out.push(p.holds === true ? `acknowledged by peer ${p.name}` : p.holds === false ? `not yet acknowledged by peer ${p.name}` : `peer ${p.name} has not told its frontier (not connected)`);
  return out;
}

function matches(query: string, d: TraceView): boolean {
  const a = d.attributes;
  if (a['webhook.id'] === query || a['mandala.device'] === query) return true;
  if (list(a['mandala.trucks']).includes(query)) return true;
  return query.length >= 8 && /^[0-9a-f]+$/.test(query) && d.eventIds.some((id) => id.startsWith(query));
}

export function inspect(query: string, deps: InspectorDeps, limit = 20): LifecycleDto[] {
  const q = query.trim();
  if (!q) return [];
  // Memory first (a delivery on its way knows its place in the inbox), then what the file keeps.
  const memory: TraceView[] = deps.lifecycle
    .deliveries()
    .filter((d) => matches(q, d))
    .slice(0, limit);
  const seen = new Set(memory.map((d) => d.traceId));
  const kept: TraceView[] = deps.lifecycle
    .stored(q, limit)
    .filter((s) => !seen.has(s.traceId))
    .map((s) => ({ ...s, isOpen: s.open, queue: null, resumed: s.open }));
  const found = [...memory, ...kept].sort((a, b) => b.startMs - a.startMs).slice(0, limit);
  return found.map((d) => {
    const spans = deps.lifecycle.store.spansOf(d.traceId);
    const attrs = d.attributes;
    const steps: LifecycleStepDto[] = spans.map((s) => ({ name: s.name, atMs: s.startMs, durationMs: Math.max(0, s.endMs - s.startMs), ok: s.error === null || s.name === 'position.received', words: stepWords(s, d, deps.nameOf) }));
    const refused = spans.find((s) => s.error !== null && s.name !== 'position.received');
    const now: string[] = [];
    if (refused) now.push(`stopped: ${stepWords(refused, d, deps.nameOf)}`);
    if (d.isOpen && d.queue) {
      const ahead = Math.max(0, d.queue.ahead - (deps.drained() - d.queue.drainedThen));
      now.push(`waiting in the inbox, ${plural(ahead, 'position')} ahead`);
    } else if (d.isOpen && d.resumed) now.push('taken in before the node restarted: waiting in the inbox for the drain');
    if (d.refs.length) now.push(...nowWords(d, deps));
    return {
      traceId: d.traceId,
      source: String(attrs['mandala.source'] ?? 'unknown'),
      webhookId: typeof attrs['webhook.id'] === 'string' ? attrs['webhook.id'] : null,
      trucks: list(attrs['mandala.trucks']),
      positions: d.positionCount,
      startMs: d.startMs,
      steps,
      now,
    };
  });
}
