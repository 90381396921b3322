// Who lacks what: every feed this node or a peer holds, against every peer, from the frontiers
// the peers last told. A peer in sync (its digest matched ours) holds exactly what this node holds.
import type { Frontier } from '../../core/feed/frontier';
import type { MatrixFeedDto, PeerMatrixDto } from '../../shared/api';
import type { PeerFrontier } from './peer-registry';

export interface MatrixNames {
  /** A feed's profile name, or null when no profile named it. */
  nameOf(author: string): string | null;
  /** The report feed a node's profile declares (its hops are the node's), or null. */
  reportFeedOf(node: string): string | null;
}

/** `self`: this node's own feeds (its identity and its report feed). */
export function peerMatrix(self: readonly string[], ours: Frontier, peers: readonly PeerFrontier[], names: MatrixNames): PeerMatrixDto {
  const authors = new Set<string>(ours.keys());
  for (const p of peers) if (p.heads instanceof Map) for (const a of p.heads.keys()) authors.add(a);
  const direct = new Set(peers.flatMap((p) => [p.node, names.reportFeedOf(p.node) ?? p.node]));
  const own = new Set(self);
  const feeds: MatrixFeedDto[] = [...authors].map((author) => ({
    author,
    name: names.nameOf(author) ?? peers.find((p) => p.node === author && p.name)?.name ?? author.slice(0, 8),
    held: ours.get(author)?.seq ?? 0,
    hops: own.has(author) ? 0 : direct.has(author) ? 1 : null,
  }));
  const rank = (f: MatrixFeedDto) => (f.hops === null ? 2 : f.hops);
  feeds.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || (a.author < b.author ? -1 : 1));
  const columns = [...peers].sort((a, b) => a.name.localeCompare(b.name) || (a.node < b.node ? -1 : 1));
  const cells = feeds.map((f) => columns.map((p) => (p.heads === null ? null : p.heads === 'in_sync' ? f.held : (p.heads.get(f.author) ?? 0))));
  return { feeds, peers: columns.map((p) => ({ node: p.node, name: p.name || p.node.slice(0, 8), connected: p.connected })), cells };
}
