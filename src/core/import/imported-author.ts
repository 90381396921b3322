// Authors of imported prototype (meshlogd) feeds. meshlogd named authors with free strings and
// signed nothing, so an imported feed gets a derived 32-byte author id:
//   0x00 0x00 | first 24 bytes of the UTF-8 name, zero-padded | first 6 bytes of SHA-256(name)
// The name bytes come first so that, within the total order (HLC wall, counter, author, seq),
// imported authors sort as meshlogd sorted their names (Python compares strings by code point,
// which is UTF-8 byte order); the hash keeps names that share 24 bytes apart. The 0x0000 prefix
// marks the feed as imported: this node never uses such a key for itself, and such a feed is
// authenticated by the nodes that attested it, never by a signature of its own.
import type { Hasher } from '../crypto/ports';
import { toHex, utf8Encode } from '../encoding/bytes';
import type { AuthorId } from '../events/event';

export const IMPORTED_AUTHOR_PREFIX = '0000';
const NAME_BYTES = 24;
const HASH_BYTES = 6;

export function importedAuthorId(name: string, hasher: Hasher): AuthorId {
  const nameBytes = utf8Encode(name);
  const out = new Uint8Array(32);
  out.set(nameBytes.subarray(0, NAME_BYTES), 2);
  out.set(hasher.sha256(nameBytes).subarray(0, HASH_BYTES), 2 + NAME_BYTES);
  return toHex(out);
}

export function isImportedAuthor(author: AuthorId): boolean {
  return author.startsWith(IMPORTED_AUTHOR_PREFIX);
}
