// One line of a meshlogd data file: `{a, s, h, k, p, v, i}` = author, seq, HLC [wall, counter],
// kind, payload, prev id, id. The id is checked by meshlogd's own rule: the first 16 bytes (hex) of
// SHA-256 over json.dumps({author, seq, hlc, kind, payload, prev}, sort_keys, compact). Then the
// line must also fit a Mandala event (integers within range, a dotted kind, finite numbers).
import type { Value } from '../encoding/canonical';
import { toHex, utf8Encode } from '../encoding/bytes';
import type { Hasher } from '../crypto/ports';
import type { HlcStamp } from '../clock/hlc';
import { MAX_EVENT_HLC_COUNTER } from '../clock/hlc';
import { KIND_PATTERN } from '../events/event';
import { PyDict, PyFloat, PyInt, pyDumpsSorted, pyLoads, PyJsonError, type PyValue } from './py-json';

export interface MeshlogEvent {
  /** The author's name in meshlogd. */
  readonly name: string;
  readonly seq: number;
  readonly hlc: HlcStamp;
  readonly kind: string;
  readonly payload: Value;
  /** meshlogd ids (32 hex digits); prev is "" for seq 1. */
  readonly prev: string;
  readonly id: string;
  /**
   * Set when the line is genuine (its id checks out) but a Mandala event cannot hold it exactly:
   * it is imported as a placeholder that keeps the feed's chain, so the events after it still
   * import, and this says why.
   */
  readonly unrepresentable: LineProblem | null;
}

export interface LineProblem {
  readonly code: string;
  readonly message: string;
}

export type LineResult = { readonly ok: true; readonly event: MeshlogEvent } | ({ readonly ok: false } & LineProblem);

/** The kind a placeholder event carries. */
export const PLACEHOLDER_KIND = 'import.placeholder';

const problem = (code: string, message: string): LineResult => ({ ok: false, code, message });

/** meshlogd's id for the parsed wire fields. */
export function meshlogId(d: PyDict, hasher: Hasher): string {
  const body = new PyDict();
  body.entries.set('author', d.entries.get('a')!);
  body.entries.set('seq', d.entries.get('s')!);
  body.entries.set('hlc', d.entries.get('h')!);
  body.entries.set('kind', d.entries.get('k')!);
  body.entries.set('payload', d.entries.get('p')!);
  body.entries.set('prev', d.entries.get('v')!);
  return toHex(hasher.sha256(utf8Encode(pyDumpsSorted(body)))).slice(0, 32);
}

class NotImportable extends Error {}

/** A payload value as a Mandala Value: integers must be exact, floats finite. */
export function pyToValue(v: PyValue, depth = 0): Value {
  if (depth > 30) throw new NotImportable('the payload nests too deeply');
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (v instanceof PyInt) {
    if (v.value > BigInt(Number.MAX_SAFE_INTEGER) || v.value < BigInt(-Number.MAX_SAFE_INTEGER)) {
      throw new NotImportable(`the integer ${v.value} is too large to keep exactly (limit ±2^53-1)`);
    }
    return Number(v.value);
  }
  if (v instanceof PyFloat) {
    if (!Number.isFinite(v.value)) throw new NotImportable(`${v.value} cannot be kept (only finite numbers are)`);
    return v.value;
  }
  if (Array.isArray(v)) return v.map((x) => pyToValue(x, depth + 1));
  const out: Record<string, Value> = {};
  for (const [k, x] of v.entries) out[k] = pyToValue(x, depth + 1);
  return out;
}

function safeInt(v: PyValue | undefined, min: number, max: number): number | null {
  if (!(v instanceof PyInt) || v.value < BigInt(min) || v.value > BigInt(max)) return null;
  return Number(v.value);
}

/** Parses and checks one line (already decoded and stripped). Never throws. */
export function parseMeshlogLine(line: string, hasher: Hasher): LineResult {
  if (line.startsWith('\ufeff')) return problem('not_json', 'the line starts with a byte order mark; meshlogd could not read it either');
  let doc: PyValue;
  try {
    doc = pyLoads(line);
  } catch (e) {
    if (e instanceof PyJsonError) return problem('not_json', `not JSON (${e.message}); a truncated or damaged line`);
    throw e;
  }
  if (!(doc instanceof PyDict)) return problem('not_an_event', 'the line is not a JSON object');
  const missing = ['a', 's', 'h', 'k', 'p', 'v', 'i'].filter((k) => !doc.entries.has(k));
  if (missing.length) return problem('not_an_event', `the event lacks ${missing.map((k) => `"${k}"`).join(', ')}`);
  const d = doc.entries;
  const claimed = d.get('i');
  if (typeof claimed !== 'string') return problem('not_an_event', 'the id ("i") is not a string');
  if (!Array.isArray(d.get('h'))) return problem('not_an_event', 'the HLC stamp ("h") is not a list');
  const actual = meshlogId(doc, hasher);
  if (actual !== claimed) return problem('id_mismatch', `its id ${claimed.slice(0, 12)}… does not match its content (meshlogd's rule gives ${actual.slice(0, 12)}…): altered after it was written`);

  // What places the event in its feed must be exact, or it cannot be imported at all.
  const name = d.get('a');
  if (typeof name !== 'string') return problem('not_importable', 'the author ("a") is not a string');
  const seq = safeInt(d.get('s'), 1, Number.MAX_SAFE_INTEGER);
  if (seq === null) return problem('not_importable', 'the seq ("s") is not a whole number >= 1');
  const prev = d.get('v');
  if (typeof prev !== 'string') return problem('not_importable', 'the prev id ("v") is not a string');

  // Everything else a Mandala event cannot hold exactly makes the event a placeholder.
  const h = d.get('h') as PyValue[];
  const wall = safeInt(h[0], 0, Number.MAX_SAFE_INTEGER);
  const counter = safeInt(h[1], 0, MAX_EVENT_HLC_COUNTER);
  const hlc = { wall: wall ?? 0, counter: Math.min(counter ?? 0, MAX_EVENT_HLC_COUNTER) };
  const rawKind = d.get('k');
  const kind = typeof rawKind === 'string' ? rawKind : pyDumpsSorted(rawKind!);
  const placeholder = (code: string, message: string): LineResult => ({ ok: true, event: { name, seq, hlc, kind, payload: null, prev, id: claimed, unrepresentable: { code, message } } });
  if (h.length !== 2 || wall === null || counter === null) return placeholder('hlc_out_of_range', `the HLC stamp is not [wall ms, counter 0..${MAX_EVENT_HLC_COUNTER}] in whole numbers`);
  if (typeof rawKind !== 'string' || rawKind.length > 64 || !KIND_PATTERN.test(rawKind)) return placeholder('kind_not_importable', `the kind ${kind.slice(0, 64)} is not a dotted lower-case name (meshlogd's reducer ignores it too)`);
  const p = d.get('p')!;
  if (!(p instanceof PyDict)) return placeholder('payload_not_importable', 'the payload ("p") is not an object');
  try {
    return { ok: true, event: { name, seq, hlc, kind: rawKind, payload: pyToValue(p), prev, id: claimed, unrepresentable: null } };
  } catch (e) {
    if (e instanceof NotImportable) return placeholder('payload_not_importable', `the payload: ${e.message}`);
    throw e;
  }
}

/** Python's str.strip(): its whitespace set differs from JavaScript's trim() at the edges. */
const PY_WHITESPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);

function isPySpace(c: number): boolean {
  return PY_WHITESPACE.has(c) || (c >= 0x2000 && c <= 0x200a);
}

export function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isPySpace(s.charCodeAt(a))) a++;
  while (b > a && isPySpace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}
