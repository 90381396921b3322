// The event kinds Mandala understands and the shape of each payload.
//
// Record kinds keep meshlogd's payload names (record_id, field, value, ...) so imported prototype
// data folds the same way. Truck positions use integers only (micro-degrees, km/h, whole
// degrees): the compact wire codec delta-encodes them and must rebuild the exact canonical bytes
// the id was hashed over, which floats would not allow.
//
// Validators never throw: they return null for a good payload or a reason with a stable code.
// The schema gate uses them before an append; projections use them to skip (and report) a
// malformed payload from a peer rather than crash.
import type { Value, ValueMap } from '../encoding/canonical';
import { isHex32 } from '../encoding/bytes';

export const KINDS = {
  nodeProfile: 'node.profile',
  recordCreate: 'record.create',
  fieldSet: 'field.set',
  noteAdd: 'note.add',
  attachmentAdd: 'attachment.add',
  truckPosition: 'truck.position',
  gateDenial: 'gate.denial',
  forkReport: 'fork.report',
  nodeFeeds: 'node.feeds',
  reportCreated: 'report.created',
  importAttest: 'import.attest',
  fleetGenesis: 'fleet.genesis',
  fleetAdmit: 'fleet.admit',
  fleetRevoke: 'fleet.revoke',
  alertAck: 'alert.ack',
  blobChunk: 'blob.chunk',
} as const;

/**
 * An attachment's bytes travel as blob.chunk events in a node's side feed (the one its reports
 * are in, which stays off the radio): each carries up to BLOB_CHUNK_BYTES of the file, its index
 * and the count, and the SHA-256 of the whole file (what attachment.add names as blob_hash).
 */
export const BLOB_CHUNK_BYTES = 12 * 1024;
/** At most this many chunks: files up to 3 MB. */
export const MAX_BLOB_CHUNKS = 256;

/** Every kind this build understands: a node in a fleet refuses any other (forward compatibility is for open nodes). */
export const KNOWN_KINDS: ReadonlySet<string> = new Set(Object.values(KINDS));

/** The roles a fleet admission can give. */
export const FLEET_ROLES = ['member', 'admin'] as const;

export interface Reason {
  readonly code: string;
  readonly message: string;
}

export interface TruckPositionPayload {
  readonly truck: string;
  /** GPS fix time, ms since epoch: the event time that orders a trajectory. */
  readonly fix_ms: number;
  readonly lat_e6: number;
  readonly lon_e6: number;
  readonly speed_kmh?: number;
  readonly heading_deg?: number;
}

export interface FieldSetPayload {
  readonly record_id: string;
  readonly field: string;
  readonly value: Value;
  /** The field's heads as the writer saw them: [author, seq] pairs, sorted. Absent in prototype data. */
  readonly deps?: readonly (readonly [string, number])[];
}

/** Deps name at most this many authors (one pair per author is all a writer needs). */
export const MAX_DEPS = 64;

function checkDeps(p: ValueMap): Reason | null {
  const d = p['deps'];
  if (d === undefined) return null;
  if (!Array.isArray(d) || d.length > MAX_DEPS) return reason('bad_payload', `deps must be a list of at most ${MAX_DEPS} [author, seq] pairs`);
  let prev = '';
  for (const item of d as Value[]) {
    if (!Array.isArray(item) || item.length !== 2) return reason('bad_payload', 'each dep is [author, seq]');
    const [a, s] = item as Value[];
    if (typeof a !== 'string' || !/^[0-9a-f]{64}$/.test(a) || typeof s !== 'number' || !Number.isSafeInteger(s) || s < 1) {
      return reason('bad_payload', 'each dep is [author (64 hex), seq (>= 1)]');
    }
    const key = `${a}:${String(s).padStart(16, '0')}`;
    if (key <= prev) return reason('bad_payload', 'deps must be sorted and without repeats');
    prev = key;
  }
  return null;
}

export const MAX_NAME_LENGTH = 64;
export const MAX_TEXT_LENGTH = 4000;

function isMap(v: Value): v is ValueMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function reason(code: string, message: string): Reason {
  return { code, message };
}

function checkName(p: ValueMap, key: string): Reason | null {
  const v = p[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_NAME_LENGTH) {
    return reason('bad_payload', `${key} must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  }
  return null;
}

function checkHex32(p: ValueMap, key: string): Reason | null {
  const v = p[key];
  return typeof v === 'string' && isHex32(v) ? null : reason('bad_payload', `${key} must be 64 hex digits (a key)`);
}

function checkInt(p: ValueMap, key: string, min: number, max: number, optional = false): Reason | null {
  const v = p[key];
  if (v === undefined && optional) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    return reason('bad_payload', `${key} must be an integer in ${min}..${max}`);
  }
  return null;
}

function first(...checks: (Reason | null)[]): Reason | null {
  for (const c of checks) if (c) return c;
  return null;
}

export function validateTruckPosition(p: ValueMap): Reason | null {
  return first(
    checkName(p, 'truck'),
    checkInt(p, 'fix_ms', 0, Number.MAX_SAFE_INTEGER),
    // Range checks are plausibility, not schema: out-of-range fixes are kept and flagged.
    checkInt(p, 'lat_e6', -1_000_000_000, 1_000_000_000),
    checkInt(p, 'lon_e6', -1_000_000_000, 1_000_000_000),
    checkInt(p, 'speed_kmh', 0, 2000, true),
    checkInt(p, 'heading_deg', 0, 359, true),
    checkInt(p, 'accuracy_m', 0, 1_000_000, true),
    // Where the fix came from when not this node's own GPS: a vendor's name, `osmand:DEVICE`.
    p['source'] === undefined ? null : checkName(p, 'source'),
  );
}

/** Validates a payload for a known kind. Unknown kinds pass (forward compatible by design). */
export function validatePayload(kind: string, payload: Value): Reason | null {
  if (!isMap(payload)) return reason('bad_payload', 'payload must be a map');
  switch (kind) {
    case KINDS.nodeProfile:
      return first(
        checkName(payload, 'name'),
        // The feed this node keeps its evidence reports in, when apart from its own.
        !('reports' in payload) || (typeof payload['reports'] === 'string' && isHex32(payload['reports'])) ? null : reason('bad_payload', 'reports must be the 64-hex-digit author of a feed'),
        // The fleet filters this node judges fixes under (fleet-settings.ts), so its peers can say when theirs differ.
        !('filters' in payload) || isMap(payload['filters'] ?? null) ? null : reason('bad_payload', 'filters must be a map of fleet filter settings'),
        // Or, shorter on a radio, only those that differ from the fleet defaults.
        !('filters_changed' in payload) || isMap(payload['filters_changed'] ?? null) ? null : reason('bad_payload', 'filters_changed must be a map of fleet filter settings'),
      );
    case KINDS.recordCreate:
      return first(checkName(payload, 'record_id'), checkName(payload, 'form'));
    case KINDS.fieldSet:
      return first(
        checkName(payload, 'record_id'),
        checkName(payload, 'field'),
        'value' in payload ? null : reason('bad_payload', 'field.set needs a value'),
        checkDeps(payload),
      );
    case KINDS.noteAdd: {
      const t = payload['text'];
      return first(
        checkName(payload, 'record_id'),
        typeof t === 'string' && t.length <= MAX_TEXT_LENGTH ? null : reason('bad_payload', 'text must be a string'),
      );
    }
    case KINDS.attachmentAdd:
      return first(
        checkName(payload, 'record_id'),
        checkName(payload, 'field'),
        typeof payload['blob_hash'] === 'string' ? null : reason('bad_payload', 'blob_hash must be a string'),
      );
    case KINDS.truckPosition:
      return validateTruckPosition(payload);
    case KINDS.blobChunk: {
      const bytes = payload['bytes'];
      const count = payload['count'];
      return first(
        typeof payload['blob_hash'] === 'string' && /^[0-9a-f]{64}$/.test(payload['blob_hash']) ? null : reason('bad_payload', 'blob_hash must be 64 lowercase hex digits (a SHA-256)'),
        checkInt(payload, 'count', 1, MAX_BLOB_CHUNKS),
        checkInt(payload, 'index', 0, typeof count === 'number' ? count - 1 : MAX_BLOB_CHUNKS - 1),
        bytes instanceof Uint8Array && bytes.length > 0 && bytes.length <= BLOB_CHUNK_BYTES ? null : reason('bad_payload', `bytes must be 1 to ${BLOB_CHUNK_BYTES} bytes`),
      );
    }
    case KINDS.fleetGenesis:
      return first(
        checkHex32(payload, 'fleet'),
        checkHex32(payload, 'admin'),
        checkName(payload, 'name'),
        payload['sig'] instanceof Uint8Array && payload['sig'].length === 64 ? null : reason('bad_payload', 'sig must be a 64-byte Ed25519 signature'),
      );
    case KINDS.fleetAdmit:
      return first(
        checkHex32(payload, 'fleet'),
        checkHex32(payload, 'node'),
        (FLEET_ROLES as readonly Value[]).includes(payload['role'] ?? null) ? null : reason('bad_payload', `role must be ${FLEET_ROLES.join(' or ')}`),
      );
    case KINDS.fleetRevoke:
      return first(checkHex32(payload, 'fleet'), checkHex32(payload, 'node'), checkInt(payload, 'upto', 0, Number.MAX_SAFE_INTEGER));
    case KINDS.alertAck: {
      const note = payload['note'];
      return first(
        typeof payload['alert'] === 'string' && payload['alert'].length > 0 && payload['alert'].length <= 200 ? null : reason('bad_payload', 'alert must be the id of an alert (1 to 200 characters)'),
        note === undefined || (typeof note === 'string' && note.length <= MAX_TEXT_LENGTH) ? null : reason('bad_payload', 'note must be a string'),
      );
    }
    default:
      return null;
  }
}

/** Deps in canonical order (author, then seq), as field.set carries them. */
export function sortDeps(refs: Iterable<readonly [string, number]>): [string, number][] {
  return [...refs].map(([a, s]) => [a, s] as [string, number]).sort(([a1, s1], [a2, s2]) => (a1 < a2 ? -1 : a1 > a2 ? 1 : s1 - s2));
}

export function asMap(payload: Value): ValueMap | null {
  return isMap(payload) ? payload : null;
}
