// The conflict timeline's output hash, version 3: a digest per group of entries and a root over
// the groups, so a report re-hashes only the trucks whose trail changed since the last one.
// (Version 2 hashed the whole timeline as one value: every report re-encoded every entry.)
//
// The definition, over the canonical view ({entries: [...]}, sorted by time, then id):
//   groups       = the entries without a truck (record writes, forks, gate denials) as group
//                  ["rest"], and each truck's entries as group ["truck", id]; in each group the
//                  entries keep the view's order
//   digest(g)    = SHA-256(canonical(["mandala/conflicts/3", g]) || canonical(entry) for each entry)
//   output hash  = SHA-256(canonical(["mandala/conflicts/3", number of groups]) || canonical(g) ||
//                  digest(g) for each group: ["rest"] first, then the trucks that have entries,
//                  ids in canonical key order)
import { sortCanonicalKeys, writeCanonical, type Value } from '../encoding/canonical';
import { digestOf } from './digest-stream';
import type { Hasher } from '../crypto/ports';

const TAG = 'mandala/conflicts/3';

const groupKey = (truck: string | null): Value => (truck === null ? ['rest'] : ['truck', truck]);

/** One group's digest over its entries' canonical views, in order. */
export function groupDigest(truck: string | null, entries: readonly Value[], hasher: Hasher): Uint8Array {
  return digestOf(hasher, (w) => {
    writeCanonical(w, [TAG, groupKey(truck)]);
    for (const e of entries) writeCanonical(w, e);
  });
}

/** The root over the rest's digest and each truck's (trucks in canonical key order). */
export function conflictsRoot(rest: Uint8Array, trucks: readonly (readonly [string, Uint8Array])[], hasher: Hasher): Uint8Array {
  return digestOf(hasher, (w) => {
    writeCanonical(w, [TAG, trucks.length + 1]);
    writeCanonical(w, groupKey(null));
    w.bytes(rest);
    for (const [id, digest] of trucks) {
      writeCanonical(w, groupKey(id));
      w.bytes(digest);
    }
  });
}

/** The same output hash computed from the canonical view alone (the reference definition). */
export function conflictsHashFromView(view: Value, hasher: Hasher): Uint8Array {
  const entries = (view as { entries: Record<string, Value>[] }).entries;
  const rest: Value[] = [];
  const byTruck = new Map<string, Value[]>();
  for (const e of entries) {
    const truck = e['truck'];
    if (typeof truck !== 'string') rest.push(e);
    else {
      let list = byTruck.get(truck);
      if (!list) byTruck.set(truck, (list = []));
      list.push(e);
    }
  }
  const trucks = sortCanonicalKeys([...byTruck.keys()]).map((id) => [id, groupDigest(id, byTruck.get(id)!, hasher)] as const);
  return conflictsRoot(groupDigest(null, rest, hasher), trucks, hasher);
}
