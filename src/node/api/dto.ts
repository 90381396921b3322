// Converts projection state into the console's DTOs (src/shared/api.ts): plain JSON, bytes as
// hex, degrees instead of micro-degrees.
import { toHex } from '../../core/encoding/bytes';
import type { Value } from '../../core/encoding/canonical';
import type { EvaluatedFix, FleetProjection } from '../../core/projections/fleet';
import { e6ToDegrees } from '../../core/geo/geo';
import type { FixDto, FleetSnapshotDto, JsonValue, RecordDto, TruckDto, WriteDto } from '../../shared/api';

export function toJson(v: Value | undefined): JsonValue {
  if (v === undefined || v === null) return null;
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map((x) => toJson(x));
  if (typeof v === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const k of Object.keys(v).sort()) {
      const item = (v as Record<string, Value | undefined>)[k];
      if (item !== undefined) out[k] = toJson(item);
    }
    return out;
  }
  return v as JsonValue;
}

/** JSON text with stable key order: the same state is the same bytes on every node. */
export function stableJson(v: Value, indent = 2): string {
  return JSON.stringify(toJson(v), null, indent);
}

export function fixDto(f: EvaluatedFix): FixDto {
  return {
    fixMs: f.fixMs,
    lat: e6ToDegrees(f.latE6),
    lon: e6ToDegrees(f.lonE6),
    speedKmh: f.speedKmh,
    headingDeg: f.headingDeg,
    flag: f.flag,
    historical: f.historical,
    author: f.at.author,
    seq: f.at.seq,
  };
}

export function truckDto(fleet: FleetProjection, id: string, trailLimit: number): TruckDto {
  const s = fleet.summary(id, trailLimit)!;
  return {
    truck: id,
    current: s.current ? fixDto(s.current) : null,
    trail: s.trail.map(fixDto),
    fixCount: s.fixCount,
    flaggedCount: s.flaggedCount,
    historicalCount: s.historicalCount,
    lastFixMs: s.lastFixMs,
    reporters: s.reporters,
  };
}

export function fleetSnapshot(fleet: FleetProjection, trailLimit: number, nowMs: number): FleetSnapshotDto {
  return { atMs: nowMs, trucks: fleet.truckIds().map((id) => truckDto(fleet, id, trailLimit)) };
}

interface RecordView {
  record_id: string;
  form: Value;
  created_by: Value;
  fields: Record<string, Value>;
  notes: Value[];
  attachments: { field: Value; blob_hash: Value; size: Value; mime: Value }[];
  conflicts?: Record<string, { winner: WriteView; losers: WriteView[] }>;
}

interface WriteView {
  author: string;
  seq: number;
  hlc: [number, number];
  value: Value;
}

/** Imported data may hold null or numbers where the console shows text. */
function asText(v: Value): string {
  return typeof v === 'string' ? v : v === null ? '' : JSON.stringify(toJson(v));
}

function writeDto(w: WriteView): WriteDto {
  return { author: w.author, seq: w.seq, atMs: w.hlc[0], value: toJson(w.value) };
}

/** The records view for the console; `notesOf` adds each note's author and time (not in the canonical view). */
export function recordsList(
  view: Value,
  notesOf: (recordId: string) => readonly { text: Value; author: string; seq: number; atMs: number }[] = () => [],
  held: (blobHash: string, size: number) => { readonly have: number; readonly count: number | null } = () => ({ have: 0, count: null }),
): RecordDto[] {
  const records = view as unknown as Record<string, RecordView>;
  return Object.keys(records)
    .sort()
    .map((id) => {
      const r = records[id]!;
      return {
        recordId: r.record_id,
        form: asText(r.form),
        createdBy: asText(r.created_by),
        fields: Object.keys(r.fields)
          .sort()
          .map((name) => {
            const c = r.conflicts?.[name];
            return { name, value: toJson(r.fields[name]), conflict: c ? { winner: writeDto(c.winner), losers: c.losers.map(writeDto) } : null };
          }),
        notes: r.notes.map(asText),
        noteDetails: notesOf(r.record_id).map((n) => ({ text: asText(n.text), author: n.author, seq: n.seq, atMs: n.atMs })),
        attachments: r.attachments.map((a) => {
          const blobHash = asText(a.blob_hash);
          const size = typeof a.size === 'number' ? a.size : 0;
          const h = held(blobHash, size);
          return { name: asText(a.field), blobHash, size, mime: asText(a.mime), chunksHeld: h.have, chunks: h.count };
        }),
      };
    });
}
