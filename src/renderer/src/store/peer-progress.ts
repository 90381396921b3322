// Peers and their sync progress, folded from the node's pushes (pure). The node reports only how
// many events are queued for a peer and how many this node still lacks from it; the console
// remembers the largest of each since it was last zero, so it can draw "how much of this
// catch-up is done" both ways.
import type { PeerRowDto } from '../../../shared/api';

export interface PeerView {
  readonly row: PeerRowDto;
  /** Largest queue seen since the queue was last empty; 0 when nothing is queued. */
  readonly queuePeak: number;
  /** Most events this node lacked from the peer since it last lacked none; 0 when it lacks none. */
  readonly lackPeak: number;
  /**
   * Events this node lacks from the peer: the row's count, or while a link to it is re-made
   * mid-sync (the row says null: no link, or no frontier on the new link yet) the last count it
   * gave, so the catch-up's bar goes on from where it was.
   */
  readonly lack: number | null;
}

export function foldPeers(previous: readonly PeerView[] | null, rows: readonly PeerRowDto[]): readonly PeerView[] {
  const before = new Map((previous ?? []).map((p) => [p.row.node, p]));
  return rows.map((row) => {
    const last = before.get(row.node);
    const lack = row.inSync ? 0 : (row.weLack ?? last?.lack ?? null);
    return { row, queuePeak: row.queued === 0 ? 0 : Math.max(row.queued, last?.queuePeak ?? 0), lackPeak: !lack ? 0 : Math.max(lack, last?.lackPeak ?? 0), lack };
  });
}

/** 0..1 share of the current catch-up already sent. */
export function syncProgress(peer: PeerView): number {
  return peer.queuePeak === 0 ? 1 : 1 - peer.row.queued / peer.queuePeak;
}

/** 0..1 share of what this node lacked from the peer that has arrived since. */
export function receiveProgress(peer: PeerView): number {
  return peer.lackPeak === 0 ? 1 : 1 - (peer.lack ?? 0) / peer.lackPeak;
}

/** A catch-up big enough to show as one in the header (a few live fixes behind is not one). */
export const CATCH_UP_FROM = 200;

/** The connected peers this node is catching up from, with the share received, or null when none. */
export function catchUp(peers: readonly PeerView[]): { readonly received: number; readonly lacking: number; readonly from: readonly string[] } | null {
  const catching = peers.filter((p) => p.row.connected && p.lackPeak >= CATCH_UP_FROM && (p.lack ?? 0) > 0);
  if (catching.length === 0) return null;
  const peak = catching.reduce((n, p) => n + p.lackPeak, 0);
  const lacking = catching.reduce((n, p) => n + (p.lack ?? 0), 0);
  return { received: 1 - lacking / peak, lacking, from: catching.map((p) => p.row.name || p.row.node.slice(0, 8)) };
}

