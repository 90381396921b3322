// One line of a meshlogd data file: `{a, s, h, k, p, v, i}` = author, seq, HLC [wall, counter],
// kind, payload, prev id, id. The id is checked by meshlogd's own rule: the first 16 bytes (hex) of
// SHA-256 over json.dumps({author, seq, hlc, kind, payload, prev}, sort_keys, compact). Then the
// line must also fit a Mandala event (integers within range, a dotted kind, finite numbers).
import type { Value } from '../encoding/canonical';
import { toHex, utf8Encode } from '../encoding/bytes';
import type { Hasher } from '../crypto/ports';
import type { HlcStamp } from '../clock/hlc';
import { MAX_HLC_COUNTER } from '../clock/hlc';
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
}

export interface LineProblem {
  readonly code: string;
  readonly message: string;
}

export type LineResult = { readonly ok: true; readonly event: MeshlogEvent } | ({ readonly ok: false } & LineProblem);

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

/** Parses and checks one line (already decoded and trimmed). Never throws. */
export function parseMeshlogLine(line: string, hasher: Hasher): LineResult {
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

  const name = d.get('a');
  if (typeof name !== 'string' || name.length === 0) return problem('not_importable', 'the author ("a") is not a non-empty string');
  const seq = safeInt(d.get('s'), 1, Number.MAX_SAFE_INTEGER);
  if (seq === null) return problem('not_importable', 'the seq ("s") is not a whole number >= 1');
  const h = d.get('h') as PyValue[];
  const wall = safeInt(h[0], 0, Number.MAX_SAFE_INTEGER);
  const counter = safeInt(h[1], 0, MAX_HLC_COUNTER);
  if (h.length !== 2 || wall === null || counter === null) return problem('not_importable', `the HLC stamp must be [wall ms, counter 0..${MAX_HLC_COUNTER}] in whole numbers`);
  const kind = d.get('k');
  if (typeof kind !== 'string' || kind.length > 64 || !KIND_PATTERN.test(kind)) return problem('not_importable', `the kind ${JSON.stringify(kind)} is not a dotted lower-case name`);
  const prev = d.get('v');
  if (typeof prev !== 'string') return problem('not_importable', 'the prev id ("v") is not a string');
  const p = d.get('p')!;
  if (!(p instanceof PyDict)) return problem('not_importable', 'the payload ("p") is not an object');
  let payload: Value;
  try {
    payload = pyToValue(p);
  } catch (e) {
    if (e instanceof NotImportable) return problem('not_importable', `the payload: ${e.message}`);
    throw e;
  }
  return { ok: true, event: { name, seq, hlc: { wall, counter }, kind, payload, prev, id: claimed } };
}
