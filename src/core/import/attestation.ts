// Attestations of imported feeds. An imported (meshlogd) feed has no key of its own: the node that
// imported it publishes import.attest events in its own, signed feed, naming each imported feed
// and the head (seq and id) it vouches for, and signs the imported feed's heads with its own key.
// A node accepts such a head signature only from a node that attested that feed, only up to the
// seq it attested, and only for imported authors: no node can speak for another node's real feed,
// and whatever a node vouches for is on record in its own signed feed.
import type { Value } from '../encoding/canonical';
import { KINDS, asMap } from '../events/kinds';
import type { AuthorId, EventId, FeedEvent } from '../events/event';
import { isImportedAuthor } from './imported-author';

export interface AttestedFeed {
  readonly author: AuthorId;
  /** The author's name in the imported file. */
  readonly name: string;
  /** The head the attester vouches for: everything up to it, through the hash chain. */
  readonly seq: number;
  readonly head: EventId;
}

/** One attester's word on one imported feed. */
export interface Attestation {
  readonly attester: AuthorId;
  readonly seq: number;
  readonly head: EventId;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The imported feeds an import.attest event vouches for (nothing for any other event). */
export function attestedFeeds(ev: Pick<FeedEvent, 'kind' | 'payload'>): AttestedFeed[] {
  if (ev.kind !== KINDS.importAttest) return [];
  const feeds = asMap(ev.payload)?.['feeds'];
  if (!Array.isArray(feeds)) return [];
  const out: AttestedFeed[] = [];
  for (const f of feeds as Value[]) {
    const m = asMap(f);
    const author = m?.['author'];
    const name = m?.['name'];
    const seq = m?.['seq'];
    const head = m?.['head'];
    if (typeof author !== 'string' || !HEX64.test(author) || !isImportedAuthor(author) || typeof name !== 'string') continue;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || typeof head !== 'string' || !HEX64.test(head)) continue;
    out.push({ author, name, seq, head });
  }
  return out;
}

export type AttestationCheck = { readonly ok: true; readonly attester: AuthorId } | { readonly ok: false; readonly code: string; readonly message: string };

/**
 * Which attester's key signed an imported feed's head at (seq, id), if it may: it attested the
 * feed at or beyond that seq, and where it named a head at exactly that seq, it is this one.
 */
export function checkAttestedHead(
  attestations: readonly Attestation[],
  seq: number,
  id: EventId,
  verifies: (attester: AuthorId) => boolean,
): AttestationCheck {
  if (attestations.length === 0) return { ok: false, code: 'import_not_attested', message: 'an imported feed arrived before the attestation that vouches for it; it will be sent again' };
  const attesters = [...new Set(attestations.map((a) => a.attester))];
  const signer = attesters.find(verifies);
  if (!signer) return { ok: false, code: 'bad_signature', message: "the batch signature does not verify against any attester's key" };
  const mine = attestations.filter((a) => a.attester === signer);
  const upTo = Math.max(...mine.map((a) => a.seq));
  if (seq > upTo) return { ok: false, code: 'beyond_attestation', message: `signed by ${signer.slice(0, 8)} up to seq ${seq}, but it attested this imported feed only up to seq ${upTo}` };
  const named = mine.find((a) => a.seq === seq);
  if (named && named.head !== id) return { ok: false, code: 'attested_head_mismatch', message: `${signer.slice(0, 8)} attested a different event at seq ${seq}` };
  return { ok: true, attester: signer };
}
