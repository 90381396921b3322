// Signed feed heads. An author signs (author, seq, id) of its feed head; because every event
// names its predecessor's id, that one signature authenticates the whole chain below it. The wire
// therefore carries one signature per batch, as Hypercore does.
import { concatBytes, hexToBytes, utf8Encode } from '../encoding/bytes';
import { ByteWriter } from '../encoding/writer';
import type { SignatureVerifier, Signer } from '../crypto/ports';
import type { AuthorId, EventId } from '../events/event';

const HEAD_DOMAIN = utf8Encode('mandala/feed-head/v1\0');

/** The exact bytes an author signs for its head at `seq`. */
export function headSigningBytes(author: AuthorId, seq: number, id: EventId): Uint8Array {
  const w = new ByteWriter(96);
  w.bytes(HEAD_DOMAIN).bytes(hexToBytes(author)).u64(seq).bytes(hexToBytes(id));
  return w.finish();
}

export function signHead(signer: Signer, author: AuthorId, seq: number, id: EventId): Uint8Array {
  return signer.sign(headSigningBytes(author, seq, id));
}

export function verifyHead(
  verifier: SignatureVerifier,
  author: AuthorId,
  seq: number,
  id: EventId,
  signature: Uint8Array,
): boolean {
  if (signature.length !== 64) return false;
  return verifier.verify(hexToBytes(author), headSigningBytes(author, seq, id), signature);
}

/** Verifies a head signature by an explicit key (an imported feed's attester signs its heads). */
export function verifyHeadBy(
  verifier: SignatureVerifier,
  key: Uint8Array,
  author: AuthorId,
  seq: number,
  id: EventId,
  signature: Uint8Array,
): boolean {
  if (signature.length !== 64) return false;
  return verifier.verify(key, headSigningBytes(author, seq, id), signature);
}

/** Domain-separated signing bytes for other signed objects (evidence reports, attestations). */
export function domainBytes(domain: string, payload: Uint8Array): Uint8Array {
  return concatBytes([utf8Encode(`mandala/${domain}\0`), payload]);
}
