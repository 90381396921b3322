// Author keys to node names ("which node reported this fix"). The node does not push names, so
// the list is re-read when the console meets an author it cannot name, at most every few seconds.
import type { MandalaBridge } from '../../../shared/api';
import { nowMs } from '../lib/clock';
import { shortId } from '../lib/format';
import { createRemoteResource, type RemoteResource } from './remote-resource';

const REASK_AFTER_MS = 5_000;

export type AuthorNames = Readonly<Record<string, string>>;

export interface NamesStore extends RemoteResource<AuthorNames> {
  /** Re-reads the names when any of these authors is unknown (throttled). */
  ensureKnown(authors: Iterable<string>): void;
}

export function createNamesStore(bridge: MandalaBridge): NamesStore {
  const resource = createRemoteResource<AuthorNames>({ load: () => bridge.call('authors.names', {}) });
  let lastAskedMs = -Infinity;
  return {
    ...resource,
    ensureKnown(authors) {
      const { data, loading } = resource.store.get();
      if (loading || !data) return;
      for (const author of authors) {
        if (data[author] !== undefined) continue;
        if (nowMs() - lastAskedMs < REASK_AFTER_MS) return;
        lastAskedMs = nowMs();
        void resource.refresh();
        return;
      }
    },
  };
}

/** "camp-lodwar", or the short key when the author has not named itself. */
export function authorLabel(names: AuthorNames | null, author: string): string {
  return names?.[author] ?? shortId(author);
}
