// The events of one run, as compactly as the receiver can rebuild them exactly.
//
// Each event is a head byte, its HLC (the first wall absolute, the second as a delta, then as
// the change in delta, so a steady reporting cadence costs one byte), and a body:
//   truck.position  head bit 7 set; bits: 0 same truck, 1 speed, 2 heading, 3-4 fix time (equal
//                   to the wall / same offset from the wall as this truck's last fix / explicit
//                   delta), 5 counter is not 0. Latitude and longitude in micro-degrees: the first
//                   absolute, the second a delta, then the error of a straight-line prediction
//                   from the two before (a truck on a road is nearly linear, so usually one byte
//                   each). Speed absolute; heading a wrapped delta.
//   other kinds     head bit 7 clear: kind code in bits 0-2, counter flag in bit 3, kind flags in
//                   bits 4-6;
//   field.set, note.add, record.create, node.profile   their strings (record id "same as
//                   before"), and field values as canonical CBOR;
//   anything else   the kind name and the payload as canonical CBOR.
// A payload is given a compact form only if it has exactly that form's shape, so rebuilding it
// gives the same canonical bytes and therefore the same id; any other payload travels generically.
import { readCanonical, writeCanonical, type Value, type ValueMap } from '../../encoding/canonical';
import { DecodeError, type ByteReader } from '../../encoding/reader';
import { hexToBytes, isHex32, toHex, utf8Decode, utf8Encode } from '../../encoding/bytes';
import type { ByteWriter } from '../../encoding/writer';
import { KIND_PATTERN, type EventBody } from '../../events/event';
import { KINDS, MAX_DEPS, validatePayload } from '../../events/kinds';
import { MAX_EVENT_HLC_COUNTER } from '../../clock/hlc';

const CODE = { generic: 0, fieldSet: 2, note: 3, create: 4, profile: 5 } as const;
const POSITION = 0x80;
const P_SAME_TRUCK = 0x01;
const P_SPEED = 0x02;
const P_HEADING = 0x04;
const P_FIX_MASK = 0x18;
const P_FIX_EQUAL = 0x00;
const P_FIX_SAME_OFFSET = 0x08;
const P_FIX_DELTA = 0x10;
const P_COUNTER = 0x20;
const P_RESERVED = 0x40;
const MAX_STRING = 4096;
const MAX_TRUCKS = 64;

/** How the codec writes and reads an author (roster refs); field.set deps name authors. */
export interface AuthorRefs {
  write(w: ByteWriter, author: string): void;
  /** The author, or null when the ref is unknown (the codec asks for it and fails the frame). */
  read(r: ByteReader): string | null;
}

/** What a decoded event carries before the receiver attaches author, seq and prev. */
export interface EventCore {
  readonly hlc: { wall: number; counter: number };
  readonly kind: string;
  readonly payload: Value;
}

function keysAre(p: ValueMap, required: readonly string[], optional: readonly string[] = []): boolean {
  const keys = Object.keys(p).filter((k) => p[k] !== undefined);
  return required.every((k) => k in p && p[k] !== undefined) && keys.every((k) => required.includes(k) || optional.includes(k));
}

const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 256;
const isInt = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;

function asPosition(p: Value): ValueMap | null {
  if (typeof p !== 'object' || p === null || Array.isArray(p) || p instanceof Uint8Array) return null;
  const m = p as ValueMap;
  if (!keysAre(m, ['truck', 'fix_ms', 'lat_e6', 'lon_e6'], ['speed_kmh', 'heading_deg'])) return null;
  if (!isStr(m['truck']) || !isInt(m['fix_ms'], 0, Number.MAX_SAFE_INTEGER)) return null;
  if (!isInt(m['lat_e6'], -1e9, 1e9) || !isInt(m['lon_e6'], -1e9, 1e9)) return null;
  if (m['speed_kmh'] !== undefined && !isInt(m['speed_kmh'], 0, 2000)) return null;
  if (m['heading_deg'] !== undefined && !isInt(m['heading_deg'], 0, 359)) return null;
  return m;
}

/** field.set with or without deps, when the deps are well formed (else it travels generically). */
function asFieldSet(p: Value): ValueMap | null {
  const m = asShape(p, ['record_id', 'field', 'value'], ['deps']);
  if (!m || m['deps'] === undefined) return m;
  return validatePayload(KINDS.fieldSet, m) === null ? m : null;
}

function asShape(p: Value, required: readonly string[], optional: readonly string[] = []): ValueMap | null {
  if (typeof p !== 'object' || p === null || Array.isArray(p) || p instanceof Uint8Array) return null;
  const m = p as ValueMap;
  if (!keysAre(m, required, optional)) return null;
  for (const k of [...required, ...optional]) if (m[k] !== undefined && k !== 'value' && k !== 'deps' && !isStr(m[k])) return null;
  return m;
}

function putStr(w: ByteWriter, s: string): void {
  const bytes = utf8Encode(s);
  w.uvarint(bytes.length).bytes(bytes);
}

function getStr(r: ByteReader): string {
  const n = r.uvarint();
  if (n === 0 || n > MAX_STRING) throw new DecodeError('bad_string', `string of ${n} bytes`);
  const bytes = r.bytes(n);
  try {
    return utf8Decode(bytes);
  } catch (e) {
    if (e instanceof DecodeError) throw e;
    throw new DecodeError('bad_utf8', 'string is not valid UTF-8');
  }
}

function wrapHeading(d: number): number {
  return ((((d + 180) % 360) + 360) % 360) - 180;
}

interface TruckState {
  lat: number;
  lon: number;
  /** The fix before the last one, for the straight-line prediction. */
  prevLat: number | null;
  prevLon: number | null;
  heading: number | null;
  fixOffset: number;
}

/** Where a truck is expected next: the last fix moved on by the last step (or the last fix). */
function predict(t: TruckState): [number, number] {
  if (t.prevLat === null || t.prevLon === null) return [t.lat, t.lon];
  return [2 * t.lat - t.prevLat, 2 * t.lon - t.prevLon];
}

/** HLC walls: first absolute, second as a delta, later as the change of delta. */
class WallCoder {
  private last: number | null = null;
  private step: number | null = null;

  write(w: ByteWriter, wall: number): void {
    if (this.last === null) w.uvarint(wall);
    else if (this.step === null) w.svarint(wall - this.last);
    else w.svarint(wall - this.last - this.step);
    this.advance(wall);
  }

  read(r: ByteReader): number {
    const wall = this.last === null ? r.uvarint() : this.step === null ? this.last + r.svarint() : this.last + this.step + r.svarint();
    if (wall < 0 || !Number.isSafeInteger(wall)) throw new DecodeError('bad_hlc', 'HLC wall out of range');
    this.advance(wall);
    return wall;
  }

  private advance(wall: number): void {
    if (this.last !== null) this.step = wall - this.last;
    this.last = wall;
  }
}

/** The distinct truck names of a run's positions, in first-seen order (the frame's table). */
export function truckTable(events: readonly EventCore[]): string[] {
  const names: string[] = [];
  for (const e of events) {
    const p = e.kind === KINDS.truckPosition ? asPosition(e.payload) : null;
    if (p && !names.includes(p['truck'] as string)) names.push(p['truck'] as string);
  }
  return names;
}

export function writeTruckTable(w: ByteWriter, names: readonly string[]): void {
  w.uvarint(names.length);
  for (const n of names) putStr(w, n);
}

export function readTruckTable(r: ByteReader): string[] {
  const n = r.uvarint();
  if (n > MAX_TRUCKS) throw new DecodeError('bad_truck_table', `truck table of ${n} entries`);
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push(getStr(r));
  return names;
}

/** Encodes events after the run header; `table` must come from truckTable(events). */
export function writeEvents(w: ByteWriter, events: readonly EventCore[], table: readonly string[], refs: AuthorRefs): void {
  const walls = new WallCoder();
  let prevTruck: string | null = null;
  let prevRecord: string | null = null;
  const trucks = new Map<string, TruckState>();
  for (const e of events) {
    const hasCounter = e.hlc.counter !== 0;
    const stamp = () => {
      walls.write(w, e.hlc.wall);
      if (hasCounter) w.uvarint(e.hlc.counter);
    };
    const pos = e.kind === KINDS.truckPosition ? asPosition(e.payload) : null;
    const fieldSet = e.kind === KINDS.fieldSet ? asFieldSet(e.payload) : null;
    const note = e.kind === KINDS.noteAdd ? asShape(e.payload, ['record_id', 'text']) : null;
    const create = e.kind === KINDS.recordCreate ? asShape(e.payload, ['record_id', 'form'], ['by']) : null;
    const profileShape = e.kind === KINDS.nodeProfile ? asShape(e.payload, ['name'], ['reports']) : null;
    // A declared report feed rides as its 32 bytes (only a canonical lowercase hex author round-trips).
    const profile = profileShape && (profileShape['reports'] === undefined || isHex32(profileShape['reports'] as string)) ? profileShape : null;
    if (pos) {
      const truck = pos['truck'] as string;
      const fix = pos['fix_ms'] as number;
      const lat = pos['lat_e6'] as number;
      const lon = pos['lon_e6'] as number;
      const speed = pos['speed_kmh'] as number | undefined;
      const heading = pos['heading_deg'] as number | undefined;
      const last = trucks.get(truck);
      const offset = fix - e.hlc.wall;
      const fixMode = offset === 0 ? P_FIX_EQUAL : last && offset === last.fixOffset ? P_FIX_SAME_OFFSET : P_FIX_DELTA;
      w.u8(POSITION | (truck === prevTruck ? P_SAME_TRUCK : 0) | (speed !== undefined ? P_SPEED : 0) | (heading !== undefined ? P_HEADING : 0) | fixMode | (hasCounter ? P_COUNTER : 0));
      stamp();
      if (truck !== prevTruck) w.uvarint(table.indexOf(truck));
      if (fixMode === P_FIX_DELTA) w.svarint(offset);
      const [pLat, pLon] = last ? predict(last) : [0, 0];
      w.svarint(lat - pLat).svarint(lon - pLon);
      if (speed !== undefined) w.uvarint(speed);
      if (heading !== undefined) {
        if (last?.heading !== null && last?.heading !== undefined) w.svarint(wrapHeading(heading - last.heading));
        else w.uvarint(heading);
      }
      trucks.set(truck, { lat, lon, prevLat: last ? last.lat : null, prevLon: last ? last.lon : null, heading: heading ?? last?.heading ?? null, fixOffset: offset });
      prevTruck = truck;
    } else if (fieldSet || note || create) {
      const p = (fieldSet ?? note ?? create)!;
      const rid = p['record_id'] as string;
      const same = rid === prevRecord ? 0x10 : 0;
      const code = fieldSet ? CODE.fieldSet : note ? CODE.note : CODE.create;
      const by = create && create['by'] !== undefined ? 0x20 : 0;
      const deps = fieldSet && fieldSet['deps'] !== undefined ? 0x20 : 0;
      w.u8(code | (hasCounter ? 0x08 : 0) | same | by | deps);
      stamp();
      if (!same) putStr(w, rid);
      if (fieldSet) {
        putStr(w, fieldSet['field'] as string);
        writeCanonical(w, fieldSet['value'] as Value);
        if (deps) {
          const list = fieldSet['deps'] as [string, number][];
          w.uvarint(list.length);
          for (const [author, seq] of list) {
            refs.write(w, author);
            w.uvarint(seq);
          }
        }
      } else if (note) putStr(w, note['text'] as string);
      else {
        putStr(w, create!['form'] as string);
        if (by) putStr(w, create!['by'] as string);
      }
      prevRecord = rid;
    } else if (profile) {
      const reports = profile['reports'] as string | undefined;
      w.u8(CODE.profile | (hasCounter ? 0x08 : 0) | (reports !== undefined ? 0x20 : 0));
      stamp();
      putStr(w, profile['name'] as string);
      if (reports !== undefined) w.bytes(hexToBytes(reports));
    } else {
      w.u8(CODE.generic | (hasCounter ? 0x08 : 0));
      stamp();
      putStr(w, e.kind);
      writeCanonical(w, e.payload);
    }
  }
}

/** Decodes `count` events; throws DecodeError with a code on anything malformed. */
export function readEvents(r: ByteReader, count: number, table: readonly string[], refs: AuthorRefs): EventCore[] {
  const out: EventCore[] = [];
  const walls = new WallCoder();
  let prevTruck: string | null = null;
  let prevRecord: string | null = null;
  const trucks = new Map<string, TruckState>();
  const readCounter = (flagged: boolean) => {
    if (!flagged) return 0;
    const counter = r.uvarint();
    if (counter < 1) throw new DecodeError('non_canonical', 'counter flag set for a zero counter');
    if (counter > MAX_EVENT_HLC_COUNTER) throw new DecodeError('bad_hlc', 'HLC counter out of range');
    return counter;
  };
  for (let i = 0; i < count; i++) {
    const head = r.u8();
    if (head & POSITION) {
      if (head & P_RESERVED || (head & P_FIX_MASK) === P_FIX_MASK) throw new DecodeError('malformed_frame', 'reserved position flags set');
      const wall = walls.read(r);
      const hlc = { wall, counter: readCounter((head & P_COUNTER) !== 0) };
      let truck: string;
      if (head & P_SAME_TRUCK) {
        if (prevTruck === null) throw new DecodeError('bad_reference', '"same truck" on the first position');
        truck = prevTruck;
      } else {
        const ix = r.uvarint();
        if (ix >= table.length) throw new DecodeError('bad_reference', `truck index ${ix} outside a table of ${table.length}`);
        truck = table[ix]!;
        if (truck === prevTruck) throw new DecodeError('non_canonical', 'explicit truck equal to the previous one');
      }
      const last = trucks.get(truck);
      const mode = head & P_FIX_MASK;
      if (mode === P_FIX_SAME_OFFSET && !last) throw new DecodeError('bad_reference', '"same fix offset" on a truck\'s first fix');
      const offset = mode === P_FIX_EQUAL ? 0 : mode === P_FIX_SAME_OFFSET ? last!.fixOffset : r.svarint();
      if (mode === P_FIX_DELTA && (offset === 0 || offset === last?.fixOffset)) throw new DecodeError('non_canonical', 'explicit fix offset where a shorter form exists');
      const [pLat, pLon] = last ? predict(last) : [0, 0];
      const lat = pLat + r.svarint();
      const lon = pLon + r.svarint();
      const payload: Record<string, Value> = { truck, fix_ms: wall + offset, lat_e6: lat, lon_e6: lon };
      if (head & P_SPEED) payload['speed_kmh'] = r.uvarint();
      let heading: number | null = last?.heading ?? null;
      if (head & P_HEADING) {
        heading = heading !== null ? (((heading + r.svarint()) % 360) + 360) % 360 : r.uvarint();
        payload['heading_deg'] = heading;
      }
      if (!asPosition(payload)) throw new DecodeError('bad_payload', 'position out of range');
      trucks.set(truck, { lat, lon, prevLat: last ? last.lat : null, prevLon: last ? last.lon : null, heading, fixOffset: offset });
      prevTruck = truck;
      out.push({ hlc, kind: KINDS.truckPosition, payload });
      continue;
    }
    const code = head & 0x07;
    const flags = head & 0x70;
    const wall = walls.read(r);
    const hlc = { wall, counter: readCounter((head & 0x08) !== 0) };
    if (code === CODE.fieldSet || code === CODE.note || code === CODE.create) {
      let rid: string;
      if (flags & 0x10) {
        if (prevRecord === null) throw new DecodeError('bad_reference', '"same record" on the first record event');
        rid = prevRecord;
      } else rid = getStr(r);
      prevRecord = rid;
      if (code === CODE.fieldSet) {
        const field = getStr(r);
        const payload: Record<string, Value> = { record_id: rid, field, value: readCanonical(r, { maxDepth: 8, maxItems: 1000 }) };
        if (flags & 0x20) {
          const n = r.uvarint();
          if (n > MAX_DEPS) throw new DecodeError('bad_payload', `${n} deps`);
          const deps: Value[] = [];
          for (let k = 0; k < n; k++) {
            const author = refs.read(r);
            deps.push([author ?? '', r.uvarint()]);
          }
          payload['deps'] = deps;
        }
        out.push({ hlc, kind: KINDS.fieldSet, payload });
      } else if (code === CODE.note) {
        out.push({ hlc, kind: KINDS.noteAdd, payload: { record_id: rid, text: getStr(r) } });
      } else {
        const form = getStr(r);
        const payload: Record<string, Value> = { record_id: rid, form };
        if (flags & 0x20) payload['by'] = getStr(r);
        out.push({ hlc, kind: KINDS.recordCreate, payload });
      }
    } else if (code === CODE.profile) {
      const payload: Record<string, Value> = { name: getStr(r) };
      if (flags & 0x20) payload['reports'] = toHex(r.bytes(32));
      out.push({ hlc, kind: KINDS.nodeProfile, payload });
    } else if (code === CODE.generic) {
      const kind = getStr(r);
      if (kind.length > 64 || !KIND_PATTERN.test(kind)) throw new DecodeError('bad_kind', 'kind is not a dotted snake_case name');
      out.push({ hlc, kind, payload: readCanonical(r, { maxDepth: 16, maxItems: 2000 }) });
    } else {
      throw new DecodeError('unknown_kind_code', `event kind code ${code}`);
    }
  }
  return out;
}

export function coreOf(e: EventBody): EventCore {
  return { hlc: e.hlc, kind: e.kind, payload: e.payload };
}
