// SHA-256 over bytes written piece by piece (a digest's canonical parts), for the projections'
// incremental output hashes.
import { ByteWriter } from '../encoding/writer';
import type { Hasher } from '../crypto/ports';

export function digestOf(hasher: Hasher, write: (w: ByteWriter) => void): Uint8Array {
  const stream = hasher.sha256Stream();
  const w = new ByteWriter(16 * 1024, (chunk) => stream.update(chunk));
  write(w);
  w.flush();
  return stream.digest();
}
