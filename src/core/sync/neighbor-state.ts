// What a broadcast session believes of one radio neighbour: who it is, its frontier as reported
// (raised by what we sent it since), whether it agrees with us, and what it was sent and refused.
import type { AuthorId } from '../events/event';
import { sameSeqs, type Frontier } from '../feed/frontier';
import { bytesEqual, toHex } from '../encoding/bytes';
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
  /** What it holds that we lack, when our frontier last asked it for that (neighborhood.ts `askFor`). */
  askedFor: { readonly key: string; readonly atMs: number } | null;
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
    askedFor: null,
  };
}

/** Whether the neighbour holds author's event at `seq`, from its last frontier (null: unknown). */
export function neighborHolds(n: NeighborState, author: AuthorId, seq: number): boolean | null {
  if (n.inSync) return true;
  return n.heads ? (n.heads.get(author) ?? 0) >= seq : null;
}

/** What the neighbour lacks of `ours` and we of its, from its last report (null: unknown). */
export function neighborLacks(n: NeighborState, ours: Frontier): { weLack: number; theyLack: number } | null {
  if (n.inSync) return { weLack: 0, theyLack: 0 };
  if (!n.heads) return null;
  let weLack = 0;
  let theyLack = 0;
  for (const [a, h] of ours) theyLack += Math.max(0, h.seq - (n.heads.get(a) ?? 0));
  for (const [a, s] of n.heads) weLack += Math.max(0, s - (ours.get(a)?.seq ?? 0));
  return { weLack, theyLack };
}

/** What `theirs` holds that `ours` lacks, as a key that changes with the difference (null: nothing). */
export function lackKey(theirs: ReadonlyMap<AuthorId, number>, ours: Frontier): string | null {
  const lack = [...theirs].filter(([a, seq]) => seq > (ours.get(a)?.seq ?? 0)).map(([a]) => `${a}:${ours.get(a)?.seq ?? 0}`);
  return lack.length ? lack.sort().join(',') : null;
}

/**
 * A neighbour reports exactly our seqs while its digest differs: different heads somewhere (a
 * fork of equal length), or only a race on a busy channel (it or we moved on in between). True
 * the second time in a row with nothing changed on our side: then it is the fork.
 */
export function equalForkSeen(n: NeighborState, ours: Frontier, reported: ReadonlyMap<AuthorId, number>, digest: Uint8Array): boolean {
  const fresh = n.digestFresh;
  n.digestFresh = false;
  if (!n.digest || !fresh || !sameSeqs(ours, reported) || bytesEqual(n.digest, digest.subarray(0, n.digest.length))) {
    n.forkSuspect = null;
    return false;
  }
  const key = toHex(digest);
  if (n.forkSuspect === key) {
    n.forkSuspect = null;
    return true;
  }
  n.forkSuspect = key;
  return false;
}
