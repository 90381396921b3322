// The frontier: author -> highest contiguous seq held (plus that head's id). Because feeds are
// contiguous, it completely describes what a node holds, and "what does my peer lack?" is one
// subtraction per author.
import { ByteWriter } from '../encoding/writer';
import { hexToBytes, toHex } from '../encoding/bytes';
import type { Hasher } from '../crypto/ports';
import type { AuthorId, EventId } from '../events/event';

export interface FeedHead {
  readonly seq: number;
  readonly id: EventId;
}

export type Frontier = ReadonlyMap<AuthorId, FeedHead>;

/** Authors in byte order of their keys: the one order every node agrees on. */
export function sortedAuthors(frontier: Frontier): AuthorId[] {
  return [...frontier.keys()].sort();
}

/** The plain {author: seq} form used by the CLI and the API, keys sorted. */
export function frontierToSeqs(frontier: Frontier): Record<AuthorId, number> {
  const out: Record<AuthorId, number> = {};
  for (const a of sortedAuthors(frontier)) out[a] = frontier.get(a)!.seq;
  return out;
}

/**
 * A 32-byte digest of the whole frontier, heads included: equal digests mean two nodes hold the
 * same events (a fork at the same seq gives a different digest). The wire sends a prefix of it.
 */
export function frontierDigest(frontier: Frontier, hasher: Hasher): Uint8Array {
  const w = new ByteWriter(64 + frontier.size * 72);
  w.uvarint(frontier.size);
  for (const a of sortedAuthors(frontier)) {
    const h = frontier.get(a)!;
    w.bytes(hexToBytes(a)).u64(h.seq).bytes(hexToBytes(h.id));
  }
  return hasher.sha256(w.finish());
}

export function frontierDigestHex(frontier: Frontier, hasher: Hasher): string {
  return toHex(frontierDigest(frontier, hasher));
}

export interface FeedGap {
  readonly author: AuthorId;
  /** First seq the other side lacks. */
  readonly fromSeq: number;
  /** Last seq we hold. */
  readonly toSeq: number;
}

/** What `remote` lacks of `local`, per author (store-and-forward: every author we hold counts). */
/** True when both hold exactly the same seqs of the same feeds (their heads may still differ). */
export function sameSeqs(ours: Frontier, theirs: ReadonlyMap<AuthorId, number>): boolean {
  if (ours.size !== theirs.size) return false;
  for (const [a, h] of ours) if (theirs.get(a) !== h.seq) return false;
  return true;
}

export function deltaFor(local: Frontier, remote: ReadonlyMap<AuthorId, number>): FeedGap[] {
  const gaps: FeedGap[] = [];
  for (const author of sortedAuthors(local)) {
    const have = remote.get(author) ?? 0;
    const head = local.get(author)!;
    if (head.seq > have) gaps.push({ author, fromSeq: have + 1, toSeq: head.seq });
  }
  return gaps;
}
