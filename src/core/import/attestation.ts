// Attestations of imported feeds. An imported (meshlogd) feed has no key of its own: the node that
// imported it publishes an import.attest event in its own, signed feed, naming the imported
// authors, and signs the imported feed's heads with its own key. Every node that holds that
// attestation accepts those head signatures for those authors, and only for imported authors, so
// no node can speak for another node's real feed.
import type { Value } from '../encoding/canonical';
import { KINDS, asMap } from '../events/kinds';
import type { AuthorId, FeedEvent } from '../events/event';
import { isImportedAuthor } from './imported-author';

export interface AttestedFeed {
  readonly author: AuthorId;
  /** The author's name in the imported file. */
  readonly name: string;
}

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
    if (typeof author === 'string' && /^[0-9a-f]{64}$/.test(author) && isImportedAuthor(author) && typeof name === 'string') out.push({ author, name });
  }
  return out;
}
