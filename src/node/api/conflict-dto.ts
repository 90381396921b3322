// The conflicts projection as the console's timeline wants it: filtered on the node (the list can
// be long when many fixes are flagged), with a one-line summary per entry in words.
import type { ConflictEntry } from '../../core/projections/conflicts';
import type { ConflictEntryDto, ConflictKindDto, ConflictListDto, ConflictQueryDto, JsonValue } from '../../shared/api';
import { toJson } from './dto';

export const CONFLICT_KINDS: readonly ConflictKindDto[] = ['concurrent_write', 'late_fix', 'delayed_fix', 'implausible_fix', 'fork', 'gate_denial', 'clock_ahead'];
const DEFAULT_LIMIT = 2000;
const MAX_LIMIT = 5000;

function shown(v: JsonValue | undefined): string {
  const s = JSON.stringify(v ?? null);
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}

function minutes(ms: number): string {
  return ms >= 90_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

/**
 * `quarantinedHere` is node-local: a fork report is shared by every node that holds it, but only
 * a node that checked the evidence itself has quarantined the feed.
 */
export function conflictSummary(e: ConflictEntry, nameOf: (a: string) => string, quarantinedHere: (author: string) => boolean = () => true): string {
  const d = toJson(e.detail) as Record<string, JsonValue>;
  switch (e.kind) {
    case 'concurrent_write': {
      const w = d['winner'] as Record<string, JsonValue>;
      const losers = d['losers'] as Record<string, JsonValue>[];
      const where = `${e.record}.${e.field}`;
      const lost = losers.map((l) => `${shown(l['value'])} (${nameOf(String(l['author']))})`).join(', ');
      if (e.status === 'open') return `${where}: ${shown(w['value'])} (${nameOf(String(w['author']))}) shown over ${lost}; open until someone writes it again`;
      const by = d['settled_by'] as Record<string, JsonValue>;
      return `${where}: ${shown(w['value'])} vs ${lost}, settled by ${nameOf(String(by['author']))} with ${shown(by['value'])}`;
    }
    case 'late_fix':
      return `${e.truck}: a fix from ${nameOf(e.authors[0]!)} arrived after a newer one, ${minutes(Number(d['late_by_ms']))} older`;
    case 'delayed_fix':
      return `${e.truck}: a fix from ${nameOf(e.authors[0]!)} was recorded ${minutes(Number(d['delay_ms']))} after it was taken`;
    case 'implausible_fix':
      return `${e.truck}: a fix from ${nameOf(e.authors[0]!)} was flagged ${String(d['reason'])} by the fleet filters; kept, not shown as current, fires no alert`;
    case 'fork': {
      const here = quarantinedHere(String(d['author'])) ? 'quarantined here' : 'reported, not yet checked here (this node holds no proof of it)';
      return `feed ${nameOf(String(d['author']))} signed two histories at seq ${String(d['seq'])}; ${here} (reported by ${(d['reported_by'] as string[]).map(nameOf).join(', ')})`;
    }
    case 'clock_ahead': {
      const w = d['write'] as Record<string, JsonValue>;
      const by = d['seen_by'] as Record<string, JsonValue>;
      return `${e.record}.${e.field}: ${nameOf(e.authors[0]!)}'s clock ran ${minutes(Number(d['ahead_ms']))} fast; its ${shown(w['value'])} was replaced by ${nameOf(String(by['author']))}'s ${shown(by['value'])}, which saw it`;
    }
    case 'gate_denial':
      return `${nameOf(e.authors[0]!)} refused a ${String(d['kind'] ?? 'write')}: ${String(d['code'])}${Number(d['count'] ?? 1) > 1 ? ` (×${String(d['count'])})` : ''}`;
  }
}

export function toConflictDto(e: ConflictEntry, nameOf: (a: string) => string, quarantinedHere?: (author: string) => boolean): ConflictEntryDto {
  return {
    id: e.id,
    kind: e.kind,
    atMs: e.atMs,
    status: e.status,
    record: e.record,
    field: e.field,
    truck: e.truck,
    authors: [...e.authors],
    refs: e.refs.map(([a, s]) => [a, s] as const),
    detail: toJson(e.detail),
    summary: conflictSummary(e, nameOf, quarantinedHere),
  };
}

function matches(e: ConflictEntry, q: ConflictQueryDto): boolean {
  if (q.kinds && q.kinds.length > 0 && !q.kinds.includes(e.kind)) return false;
  if (q.record && e.record !== q.record) return false;
  if (q.truck && e.truck !== q.truck) return false;
  if (q.author && !e.authors.includes(q.author) && !e.refs.some(([a]) => a === q.author)) return false;
  if (q.fromMs !== undefined && e.atMs < q.fromMs) return false;
  if (q.toMs !== undefined && e.atMs > q.toMs) return false;
  return true;
}

export function conflictList(entries: readonly ConflictEntry[], q: ConflictQueryDto, nameOf: (a: string) => string, quarantinedHere?: (author: string) => boolean): ConflictListDto {
  const counts: Record<string, number> = {};
  const records = new Set<string>();
  const trucks = new Set<string>();
  const authors = new Set<string>();
  let open = 0;
  let lo = Infinity;
  let hi = -Infinity;
  const hits: ConflictEntry[] = [];
  for (const e of entries) {
    counts[e.kind] = (counts[e.kind] ?? 0) + 1;
    if (e.status === 'open') open++;
    if (e.record) records.add(e.record);
    if (e.truck) trucks.add(e.truck);
    for (const a of e.authors) authors.add(a);
    lo = Math.min(lo, e.atMs);
    hi = Math.max(hi, e.atMs);
    if (matches(e, q)) hits.push(e);
  }
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(q.limit ?? DEFAULT_LIMIT)));
  return {
    entries: hits.slice(Math.max(0, hits.length - limit)).map((e) => toConflictDto(e, nameOf, quarantinedHere)),
    matched: hits.length,
    total: entries.length,
    counts,
    openCount: open,
    spanMs: entries.length ? [lo, hi] : null,
    records: [...records].sort(),
    trucks: [...trucks].sort(),
    authors: [...authors].sort(),
  };
}

/** Checks a query from the network; throws with a sentence on a bad one. */
export function parseConflictQuery(args: unknown, fail: (message: string) => never): ConflictQueryDto {
  const a = (args ?? {}) as Record<string, unknown>;
  const optStr = (k: string) => {
    const v = a[k];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' || v.length > 200) fail(`${k} must be a string`);
    return v;
  };
  const optNum = (k: string) => {
    const v = a[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${k} must be a number`);
    return v;
  };
  let kinds: ConflictKindDto[] | undefined;
  if (a['kinds'] !== undefined) {
    if (!Array.isArray(a['kinds']) || a['kinds'].some((k) => !CONFLICT_KINDS.includes(k as ConflictKindDto))) fail(`kinds must be a list of ${CONFLICT_KINDS.join(', ')}`);
    kinds = a['kinds'] as ConflictKindDto[];
  }
  return { kinds, record: optStr('record'), truck: optStr('truck'), author: optStr('author'), fromMs: optNum('fromMs'), toMs: optNum('toMs'), limit: optNum('limit') };
}
