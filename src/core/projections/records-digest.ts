// The records' output hash, version 3: a digest per record and a root over them, so a report
// re-hashes only the records written since the last one. (Version 2 hashed the whole view as
// one value.)
//
// The definition, over the canonical view ({id: record}):
//   digest(id)   = SHA-256(canonical(["mandala/records/3", id, record]))
//   output hash  = SHA-256(canonical(["mandala/records/3", record count]) || canonical(id) ||
//                  digest(id) for each record, ids in canonical key order)
import { sortCanonicalKeys, writeCanonical, type Value } from '../encoding/canonical';
import type { Hasher } from '../crypto/ports';
import { digestOf, keyedRoot } from './digest-stream';

const TAG = 'mandala/records/3';

export function recordDigest(id: string, record: Value, hasher: Hasher): Uint8Array {
  return digestOf(hasher, (w) => writeCanonical(w, [TAG, id, record]));
}

/** The root over the records' digests (ids in canonical key order). */
export function recordsRoot(ids: readonly string[], digest: (id: string) => Uint8Array, hasher: Hasher): Uint8Array {
  return keyedRoot(TAG, ids, digest, hasher);
}

/** The same output hash computed from the canonical view alone (the reference definition). */
export function recordsHashFromView(view: Value, hasher: Hasher): Uint8Array {
  const records = view as Record<string, Value>;
  const ids = sortCanonicalKeys(Object.keys(records));
  return recordsRoot(ids, (id) => recordDigest(id, records[id]!, hasher), hasher);
}
