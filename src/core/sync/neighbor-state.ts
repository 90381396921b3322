// What a broadcast session believes of one radio neighbour: who it is, its frontier as reported
// (raised by what we sent it since), whether it agrees with us, and what it was sent and refused.
import type { AuthorId } from '../events/event';
import type { PeerInfo, SessionStats } from './host';

export interface NeighborState {
  peer: PeerInfo | null;
  /** Its frontier as last reported, raised by what we sent it since. */
  heads: Map<AuthorId, number> | null;
  inSync: boolean;
  /** Its last digest, to tell equal frontiers with different heads (a fork) apart. */
  digest: Uint8Array | null;
  /**
   * Our digest when this neighbour last reported the same seqs as ours with a different digest.
   * Seen twice with nothing changed on our side, it is a fork of equal length, not a race.
   */
  forkSuspect: string | null;
  /** Its digest arrived since its last frontier (so the two describe the same moment). */
  digestFresh: boolean;
  readonly stats: SessionStats;
  readonly refused: Map<AuthorId, { code: string; seq: number; untilMs: number }>;
  /** What we sent it since its last report (author -> last seq): delivered once it says so. */
  readonly sent: Map<AuthorId, number>;
  /** The last difference of digests seen with it (ours:its), so the same one does not reset Trickle again. */
  mismatch: string | null;
  /** When its digest last differed from ours (null once one agreed): recent evidence of a difference. */
  mismatchAtMs: number | null;
}

export function newNeighborState(): NeighborState {
  return {
    peer: null,
    heads: null,
    inSync: false,
    digest: null,
    forkSuspect: null,
    digestFresh: false,
    stats: { runsSent: 0, eventsSent: 0, runsReceived: 0, eventsReceived: 0, refusalsReceived: 0, lastHeardMs: null },
    refused: new Map(),
    sent: new Map(),
    mismatch: null,
    mismatchAtMs: null,
  };
}
