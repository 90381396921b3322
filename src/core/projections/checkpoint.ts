// A checkpoint's state: every projection's fold, the per-author/kind heads it covers, and
// whatever node-local extras the caller keeps beside it. Restoring it and folding the events
// that came after gives exactly the state a fold from the first event gives, because the
// projections are order-independent; a checkpoint only saves time. It is tied to the fold
// versions that wrote it: a state from another fold is never reused.
import type { Hasher } from '../crypto/ports';
import { decodeCanonical, encodeCanonical, type Value } from '../encoding/canonical';
import { KindHeads, type KindHeadRow } from '../evidence/input-frontier';
import { settingsToValue, type FleetSettings } from './fleet-settings';
import { createProjections, type ProjectionSet } from './set';
import { AuthorTable, SnapshotError } from './snapshot-codec';

/** 2: the fleet's trails keep their sealed chunks packed. */
export const SNAPSHOT_FORMAT = 2;

/** The fold versions (and the fleet settings) a checkpoint is only valid for. */
export function foldVersions(set: ProjectionSet): string {
  const settings = Object.values(settingsToValue(set.fleet.settings)).map(String).join(',');
  return `snapshot:${SNAPSHOT_FORMAT},records:${set.records.version},fleet:${set.fleet.version}[${settings}],conflicts:${set.conflicts.version},alerts:${set.alerts.version}`;
}

export interface FoldState {
  readonly set: ProjectionSet;
  readonly heads: KindHeads;
  /** Events folded. */
  readonly events: number;
  readonly extras: Value;
}

/** A checkpoint's bytes; `hasher` brings the output digests it keeps (fleet, conflicts) up to date. */
export function encodeFoldState(s: FoldState, hasher: Hasher): Uint8Array {
  const authors = new AuthorTable();
  const records = s.set.records.exportState(authors);
  const fleet = s.set.fleet.exportState(authors, hasher);
  const conflicts = s.set.conflicts.exportState(authors, hasher);
  const alerts = s.set.alerts.exportState(authors);
  return encodeCanonical({
    versions: foldVersions(s.set),
    authors: authors.toValue(),
    records,
    fleet,
    conflicts,
    alerts,
    heads: s.heads.export().map((r) => [...r]),
    events: s.events,
    extras: s.extras,
  });
}

/** Rebuilds a fold from checkpoint bytes. Throws SnapshotError when they do not fit this build. */
export function decodeFoldState(bytes: Uint8Array, settings?: FleetSettings): FoldState {
  let v: Value;
  try {
    v = decodeCanonical(bytes, { maxDepth: 64, maxItems: Number.MAX_SAFE_INTEGER });
  } catch (e) {
    throw new SnapshotError(`checkpoint state does not decode: ${(e as Error).message}`);
  }
  const m = v as Record<string, Value>;
  const set = createProjections(settings);
  if (m['versions'] !== foldVersions(set)) throw new SnapshotError(`checkpoint was folded by ${String(m['versions'])}, not ${foldVersions(set)}`);
  const authors = AuthorTable.fromValue(m['authors']);
  try {
    set.records.importState(m['records']!, authors);
    set.fleet.importState(m['fleet']!, authors);
    set.conflicts.importState(m['conflicts']!, authors);
    set.alerts.importState(m['alerts']!, authors);
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    throw new SnapshotError(`checkpoint state is malformed: ${(e as Error).message}`);
  }
  const heads = m['heads'];
  if (!Array.isArray(heads) || typeof m['events'] !== 'number') throw new SnapshotError('checkpoint heads missing');
  return { set, heads: KindHeads.import(heads as unknown as KindHeadRow[]), events: m['events'], extras: m['extras'] ?? null };
}
