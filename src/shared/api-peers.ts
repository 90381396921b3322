// The console API's types for the author-by-peer matrix: for every feed, how much of it each peer
// holds, from the frontiers the peers last told (api.ts re-exports them).

export interface MatrixFeedDto {
  readonly author: string;
  /** Its signed profile name, or its short id. */
  readonly name: string;
  /** The seq of this feed this node holds (0: none yet, a peer has it). */
  readonly held: number;
  /** 0: this node's own feed; 1: a peer this node has a link with; null: known only through relays. */
  readonly hops: 0 | 1 | null;
}

export interface MatrixPeerDto {
  readonly node: string;
  readonly name: string;
  readonly connected: boolean;
}

export interface PeerMatrixDto {
  /** This node's own feeds first, then direct peers', then the rest, each by name. */
  readonly feeds: readonly MatrixFeedDto[];
  /** In the peers table's order (by name). */
  readonly peers: readonly MatrixPeerDto[];
  /** cells[f][p]: the seq of feed f that peer p holds, as it last told; null before it told any frontier. */
  readonly cells: readonly (readonly (number | null)[])[];
}
