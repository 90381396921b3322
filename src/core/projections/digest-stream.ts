// SHA-256 over bytes written piece by piece (a digest's canonical parts), for the projections'
// incremental output hashes, and the root over keyed digests that two of them share.
import { writeCanonical } from '../encoding/canonical';
import { ByteWriter } from '../encoding/writer';
import type { Hasher } from '../crypto/ports';

export function digestOf(hasher: Hasher, write: (w: ByteWriter) => void): Uint8Array {
  const stream = hasher.sha256Stream();
  const w = new ByteWriter(16 * 1024, (chunk) => stream.update(chunk));
  write(w);
  w.flush();
  return stream.digest();
}

/**
 * SHA-256(canonical([tag, key count]) || canonical(key) || digest(key) for each key, in the
 * order given): the root over per-key digests (fleet trucks, records).
 */
export function keyedRoot(tag: string, keys: readonly string[], digest: (key: string) => Uint8Array, hasher: Hasher): Uint8Array {
  return digestOf(hasher, (w) => {
    writeCanonical(w, [tag, keys.length]);
    for (const key of keys) {
      writeCanonical(w, key);
      w.bytes(digest(key));
    }
  });
}
