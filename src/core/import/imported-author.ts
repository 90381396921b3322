// Authors of imported prototype (meshlogd) feeds. meshlogd named authors with free strings and
// signed nothing, so an imported feed gets a derived 32-byte author id:
//   0x00 0x00 | the UTF-8 name, zero-padded to 30 bytes                (names of up to 30 bytes)
//   0x00 0x00 | its first 24 bytes | the first 6 bytes of SHA-256(name) (longer names)
// The name bytes come first so that, within the total order (HLC wall, counter, author, seq),
// imported authors sort as meshlogd sorted their names (Python compares strings by code point,
// which is UTF-8 byte order). That is exact for names of up to 30 bytes; longer names (an RNS
// identity hash is 32 hex digits) keep their order while their first 24 bytes differ, and the
// import says so when two do not. The 0x0000 prefix marks the feed as imported: no node uses such
// a key for itself, and such a feed is authenticated by the nodes that attested it, never by a
// signature of its own.
import type { Hasher } from '../crypto/ports';
import { compareBytes, hexToBytes, toHex, utf8Encode } from '../encoding/bytes';
import type { AuthorId } from '../events/event';
import { compareCodePoints } from '../util/code-points';

export const IMPORTED_AUTHOR_PREFIX = '0000';
const EXACT_BYTES = 30;
const PREFIX_BYTES = 24;
const HASH_BYTES = 6;

function isExact(nameBytes: Uint8Array): boolean {
  // A trailing NUL would vanish into the padding, so such a name takes the hashed form.
  return nameBytes.length <= EXACT_BYTES && nameBytes[nameBytes.length - 1] !== 0;
}

export function importedAuthorId(name: string, hasher: Hasher): AuthorId {
  const bytes = utf8Encode(name);
  const out = new Uint8Array(32);
  if (isExact(bytes)) {
    out.set(bytes, 2);
  } else {
    out.set(bytes.subarray(0, PREFIX_BYTES), 2);
    out.set(hasher.sha256(bytes).subarray(0, HASH_BYTES), 2 + PREFIX_BYTES);
  }
  return toHex(out);
}

export function isImportedAuthor(author: AuthorId): boolean {
  return author.startsWith(IMPORTED_AUTHOR_PREFIX);
}

/**
 * Pairs of imported names whose derived ids may not sort as meshlogd sorted the names (they share
 * 24 bytes and one is longer than the exact form allows). Only writes at the very same HLC instant
 * by both could then pick a different winner than meshlogd did; the import says so.
 */
export function orderWarnings(names: readonly string[], hasher: Hasher): string[] {
  const sorted = [...new Set(names)].sort(compareCodePoints);
  const out: string[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [utf8Encode(sorted[i - 1]!), utf8Encode(sorted[i]!)];
    if (isExact(a) && isExact(b)) continue;
    const shared = compareBytes(a.subarray(0, PREFIX_BYTES), b.subarray(0, PREFIX_BYTES)) === 0;
    const inverted = compareBytes(hexToBytes(importedAuthorId(sorted[i - 1]!, hasher)), hexToBytes(importedAuthorId(sorted[i]!, hasher))) > 0;
    if (shared || inverted) {
      out.push(`authors "${sorted[i - 1]}" and "${sorted[i]}" share their first ${PREFIX_BYTES} bytes: where both wrote a field at the very same HLC instant, the winner shown may differ from meshlogd's`);
    }
  }
  return out;
}
