// The body of a positions delivery, validated with a schema (zod), then turned into the
// truck.position drafts this node will sign. Anything wrong refuses the whole delivery with a
// stable code, before anything is written: malformed JSON, wrong types, a coordinate out of
// range, a time that is not ISO-8601 or lies more than 24 h ahead. Old times are kept (trucks
// upload backlogs after dead zones); the trajectory rules judge them.
import { z } from 'zod';
import { KINDS } from '../../core/events/kinds';
import { degreesToE6 } from '../../core/geo/geo';
import type { LocalDraft } from '../../core/store/feed-log';

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_POSITIONS = 500;
export const MAX_FUTURE_MS = 24 * 3600_000;

const position = z.object({
  truck_id: z.string().min(1).max(64),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  time: z.iso.datetime({ offset: true }),
  speed_kmh: z.number().min(0).max(2000).optional(),
  heading: z.number().min(0).max(360).optional(),
  accuracy_m: z.number().min(0).max(1_000_000).optional(),
});
const body = z.object({ positions: z.array(position).min(1) });

export type PositionsVerdict =
  | { readonly ok: true; readonly drafts: LocalDraft[] }
  | { readonly ok: false; readonly status: 400 | 413; readonly code: string; readonly message: string };

const RANGE_FIELDS = new Set(['lat', 'lon']);

function describeIssue(issue: z.core.$ZodIssue): { code: string; message: string } {
  const where = issue.path.map(String).join('.');
  const field = String(issue.path[issue.path.length - 1] ?? '');
  if ((issue.code === 'too_big' || issue.code === 'too_small') && RANGE_FIELDS.has(field)) {
    return { code: 'coordinate_out_of_range', message: `${where} is out of range (latitude -90..90, longitude -180..180, decimal degrees)` };
  }
  if (issue.code === 'invalid_format' && field === 'time') return { code: 'bad_time', message: `${where} is not an ISO-8601 time with a zone (e.g. 2026-12-01T10:15:00Z)` };
  return { code: 'invalid_body', message: `${where || 'the body'}: ${issue.message} (expected {"positions":[{"truck_id","lat","lon","time",...}]})` };
}

/** Validates a delivery's raw body; `source` is kept on every position (the vendor's name). */
export function parsePositions(raw: Buffer, source: string, nowMs: number): PositionsVerdict {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    return { ok: false, status: 400, code: 'malformed_json', message: `the body is not JSON (${(e as Error).message})` };
  }
  const count = (json as { positions?: unknown } | null)?.positions;
  if (Array.isArray(count) && count.length > MAX_POSITIONS) {
    return { ok: false, status: 413, code: 'too_many_positions', message: `${count.length} positions in one delivery; at most ${MAX_POSITIONS}: split it` };
  }
  const parsed = body.safeParse(json);
  if (!parsed.success) return { ok: false, status: 400, ...describeIssue(parsed.error.issues[0]!) };
  const drafts: LocalDraft[] = [];
  for (const [i, p] of parsed.data.positions.entries()) {
    const fixMs = Date.parse(p.time);
    if (fixMs - nowMs > MAX_FUTURE_MS) {
      return { ok: false, status: 400, code: 'time_in_future', message: `positions.${i}.time ${p.time} is more than 24 h ahead of this node's clock: check the sender's clock` };
    }
    if (fixMs < 0) return { ok: false, status: 400, code: 'bad_time', message: `positions.${i}.time ${p.time} is before 1970` };
    const payload: Record<string, string | number> = { truck: p.truck_id, fix_ms: fixMs, lat_e6: degreesToE6(p.lat), lon_e6: degreesToE6(p.lon), source };
    if (p.speed_kmh !== undefined) payload['speed_kmh'] = Math.round(p.speed_kmh);
    if (p.heading !== undefined) payload['heading_deg'] = Math.round(p.heading) % 360;
    if (p.accuracy_m !== undefined) payload['accuracy_m'] = Math.round(p.accuracy_m);
    drafts.push({ kind: KINDS.truckPosition, payload });
  }
  return { ok: true, drafts };
}
