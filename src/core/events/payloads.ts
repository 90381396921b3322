// Payloads decoded once, into one typed union. Every fold reads an event's payload through here:
// the fold loop decodes each event a single time and hands the result to every fold that reads
// that kind, so no caller digs through a raw payload map.
//
// Decoding is as loose as the folds have always been (looser than the schema gate on local
// writes): data from elsewhere (meshlogd files, older builds) decodes exactly as it folded. A
// payload a fold cannot use decodes as `malformed` and the fold reports it as a finding; a kind
// this build does not know decodes as `unknown` (forward compatible by design).
import type { Value, ValueMap } from '../encoding/canonical';
import { attestedFeeds, type AttestedFeed } from '../import/attestation';
import { KINDS, asMap, validatePayload, validateTruckPosition, type FLEET_ROLES } from './kinds';

export type FleetRole = (typeof FLEET_ROLES)[number];

export type Dep = readonly [author: string, seq: number];

export type DecodedPayload =
  | { readonly kind: typeof KINDS.recordCreate; readonly recordId: string; readonly form: Value | undefined; readonly by: Value | undefined }
  | { readonly kind: typeof KINDS.fieldSet; readonly recordId: string; readonly field: string; readonly value: Value; readonly deps: readonly Dep[] | null }
  | { readonly kind: typeof KINDS.noteAdd; readonly recordId: string; readonly text: Value }
  | { readonly kind: typeof KINDS.attachmentAdd; readonly recordId: string; readonly field: string; readonly blobHash: string; readonly payload: ValueMap }
  | {
      readonly kind: typeof KINDS.truckPosition;
      readonly truck: string;
      /** GPS fix time, ms since epoch: the event time that orders a trajectory. */
      readonly fixMs: number;
      readonly latE6: number;
      readonly lonE6: number;
      readonly speedKmh: number | null;
      readonly headingDeg: number | null;
      readonly accuracyM: number | null;
      /** Where the fix came from (a vendor, a phone), or null for this node's own input. */
      readonly source: string | null;
    }
  | { readonly kind: typeof KINDS.gateDenial; readonly gate: string; readonly code: string; readonly deniedKind: Value; readonly message: Value; readonly count: Value }
  | { readonly kind: typeof KINDS.forkReport; readonly author: string; readonly seq: number; readonly evidence: Uint8Array | null }
  | {
      readonly kind: typeof KINDS.nodeProfile;
      readonly name: string;
      readonly reports: string | null;
      /** All its fleet filters, or (filtersChanged) only those that differ from the defaults. */
      readonly filters: ValueMap | null;
      readonly filtersChanged: ValueMap | null;
    }
  | { readonly kind: typeof KINDS.importAttest; readonly feeds: readonly AttestedFeed[] }
  | { readonly kind: typeof KINDS.reportCreated; readonly report: Value }
  | { readonly kind: typeof KINDS.fleetGenesis; readonly fleet: string; readonly admin: string; readonly name: string; readonly sig: Uint8Array }
  | { readonly kind: typeof KINDS.fleetAdmit; readonly fleet: string; readonly node: string; readonly role: FleetRole }
  | { readonly kind: typeof KINDS.fleetRevoke; readonly fleet: string; readonly node: string; readonly upto: number }
  | { readonly kind: typeof KINDS.alertAck; readonly alert: string; readonly note: string | null }
  | { readonly kind: 'malformed'; readonly of: string }
  | { readonly kind: 'unknown'; readonly of: string };

export type PayloadOf<K extends DecodedPayload['kind']> = Extract<DecodedPayload, { kind: K }>;

const malformed = (of: string): DecodedPayload => ({ kind: 'malformed', of });

function decodeRecordKind(kind: string, p: ValueMap): DecodedPayload {
  const recordId = p['record_id'];
  if (typeof recordId !== 'string') return malformed(kind);
  switch (kind) {
    case KINDS.recordCreate:
      // form and by are whatever the create says (meshlogd kept even null)
      return { kind, recordId, form: p['form'], by: p['by'] };
    case KINDS.fieldSet: {
      const field = p['field'];
      if (typeof field !== 'string' || !('value' in p)) return malformed(kind);
      const deps = p['deps'];
      if (deps !== undefined && validatePayload(kind, { record_id: 'r', field: 'f', value: null, deps }) !== null) return malformed(kind);
      return { kind, recordId, field, value: p['value'] as Value, deps: Array.isArray(deps) ? (deps as [string, number][]).map(([a, s]) => [a, s] as const) : null };
    }
    case KINDS.noteAdd:
      return 'text' in p && p['text'] !== undefined ? { kind, recordId, text: p['text'] } : malformed(kind);
    default: {
      const field = p['field'];
      const blobHash = p['blob_hash'];
      return typeof field === 'string' && typeof blobHash === 'string' ? { kind: KINDS.attachmentAdd, recordId, field, blobHash, payload: p } : malformed(kind);
    }
  }
}

function decodeTruckPosition(p: ValueMap): DecodedPayload {
  if (validateTruckPosition(p)) return malformed(KINDS.truckPosition);
  return {
    kind: KINDS.truckPosition,
    truck: p['truck'] as string,
    fixMs: p['fix_ms'] as number,
    latE6: p['lat_e6'] as number,
    lonE6: p['lon_e6'] as number,
    speedKmh: typeof p['speed_kmh'] === 'number' ? p['speed_kmh'] : null,
    headingDeg: typeof p['heading_deg'] === 'number' ? p['heading_deg'] : null,
    accuracyM: typeof p['accuracy_m'] === 'number' ? p['accuracy_m'] : null,
    source: typeof p['source'] === 'string' ? p['source'] : null,
  };
}

function decodeFleet(kind: typeof KINDS.fleetGenesis | typeof KINDS.fleetAdmit | typeof KINDS.fleetRevoke, p: ValueMap): DecodedPayload {
  const fleet = p['fleet'] as string;
  if (kind === KINDS.fleetGenesis) return { kind, fleet, admin: p['admin'] as string, name: p['name'] as string, sig: p['sig'] as Uint8Array };
  if (kind === KINDS.fleetAdmit) return { kind, fleet, node: p['node'] as string, role: p['role'] as FleetRole };
  return { kind, fleet, node: p['node'] as string, upto: p['upto'] as number };
}

/** Decodes an event's payload by its kind. Never throws. */
export function decodePayload(ev: { readonly kind: string; readonly payload: Value }): DecodedPayload {
  const kind = ev.kind;
  const p = asMap(ev.payload);
  switch (kind) {
    case KINDS.recordCreate:
    case KINDS.fieldSet:
    case KINDS.noteAdd:
    case KINDS.attachmentAdd:
      return p ? decodeRecordKind(kind, p) : malformed(kind);
    case KINDS.truckPosition:
      return p ? decodeTruckPosition(p) : malformed(kind);
    case KINDS.gateDenial: {
      const gate = p?.['gate'];
      const code = p?.['code'];
      if (typeof gate !== 'string' || typeof code !== 'string') return malformed(kind);
      return { kind, gate, code, deniedKind: p!['kind'] ?? null, message: p!['message'] ?? null, count: p!['count'] ?? 1 };
    }
    case KINDS.forkReport: {
      const author = p?.['author'];
      const seq = p?.['seq'];
      if (typeof author !== 'string' || typeof seq !== 'number') return malformed(kind);
      const evidence = p!['evidence'];
      return { kind, author, seq, evidence: evidence instanceof Uint8Array ? evidence : null };
    }
    case KINDS.nodeProfile: {
      const name = p?.['name'];
      if (typeof name !== 'string') return malformed(kind);
      const reports = p!['reports'];
      const filters = p!['filters'];
      const changed = p!['filters_changed'];
      return { kind, name, reports: typeof reports === 'string' ? reports : null, filters: asMap(filters ?? null), filtersChanged: asMap(changed ?? null) };
    }
    case KINDS.importAttest:
      return { kind, feeds: attestedFeeds(ev) };
    case KINDS.reportCreated:
      return { kind, report: ev.payload };
    case KINDS.fleetGenesis:
    case KINDS.fleetAdmit:
    case KINDS.fleetRevoke:
      return p && validatePayload(kind, p) === null ? decodeFleet(kind, p) : malformed(kind);
    case KINDS.alertAck:
      return p && validatePayload(kind, p) === null ? { kind, alert: p['alert'] as string, note: typeof p['note'] === 'string' ? p['note'] : null } : malformed(kind);
    default:
      return { kind: 'unknown', of: kind };
  }
}
