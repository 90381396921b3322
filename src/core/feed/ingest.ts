// The ingest rules for a run of one author's events, written once and driven against any
// FeedLedger. They guarantee:
//  - authenticity: nothing is appended unless a verified head signature reaches it through the
//    hash chain (directly, or by linking to an authenticated event above it);
//  - contiguity: a feed only grows at head+1; anything above a gap waits in the pending buffer,
//    which the ledger persists, until the gap fills;
//  - idempotence: an event already held is a duplicate and changes nothing;
//  - chain integrity: every appended event names the stored head as its prev;
//  - forks: two authentic histories for one feed are kept as evidence and quarantine the feed.
// Rejections carry a stable snake_case code and never throw.
import type { SignatureVerifier } from '../crypto/ports';
import type { AuthorId, FeedEvent } from '../events/event';
import type { ForkEvidence, ForkProofSide, FeedLedger, PendingEvent } from './ledger';
import { verifyHead, verifyHeadBy } from './head';
import { isImportedAuthor } from '../import/imported-author';
import { checkAttestedHead } from '../import/attestation';
import { hexToBytes } from '../encoding/bytes';

export interface IncomingRun {
  readonly author: AuthorId;
  /** Contiguous ascending events of `author`, each naming the previous one as prev. */
  readonly events: readonly FeedEvent[];
  /** Head signature over the last event of the run, if the sender had one. */
  readonly sig: Uint8Array | null;
}

export interface Rejection {
  readonly code: string;
  readonly message: string;
  readonly author: AuthorId;
  readonly seq?: number;
}

export interface RunOutcome {
  readonly appended: FeedEvent[];
  buffered: number;
  duplicates: number;
  rejection: Rejection | null;
  fork: ForkEvidence | null;
}

export interface IngestLimits {
  /** Events per author the pending buffer may hold. */
  readonly maxPendingPerAuthor: number;
  /** Events the pending buffer may hold in all (out-of-order or not yet authenticated data is bounded). */
  readonly maxPendingTotal: number;
  /** Events per side kept in a fork proof. */
  readonly maxProofEvents: number;
}

/**
 * Rejections that go away by themselves (the attestation or the gap is on its way): the sender is
 * not told to stop offering the feed, it just offers it again later.
 */
export const TRANSIENT_REJECTIONS: ReadonlySet<string> = new Set(['import_not_attested', 'pending_buffer_full']);

export const DEFAULT_INGEST_LIMITS: IngestLimits = { maxPendingPerAuthor: 4096, maxPendingTotal: 50_000, maxProofEvents: 512 };

function reject(out: RunOutcome, author: AuthorId, code: string, message: string, seq?: number): RunOutcome {
  out.rejection = seq === undefined ? { code, message, author } : { code, message, author, seq };
  return out;
}

function checkRunShape(run: IncomingRun): { code: string; message: string; seq?: number } | null {
  if (run.events.length === 0) return { code: 'run_empty', message: 'a run must hold at least one event' };
  for (let i = 0; i < run.events.length; i++) {
    const ev = run.events[i]!;
    if (ev.author !== run.author) return { code: 'author_mismatch', message: 'event author differs from the run author', seq: ev.seq };
    if (i > 0) {
      const prev = run.events[i - 1]!;
      if (ev.seq !== prev.seq + 1) return { code: 'seq_gap_in_run', message: 'run seqs are not contiguous', seq: ev.seq };
      if (ev.prev !== prev.id) return { code: 'chain_broken', message: 'event does not name its predecessor as prev', seq: ev.seq };
    }
  }
  return null;
}

/** Is the run authenticated by linking to an authenticated pending event just above it? */
function linksToAuthenticatedAbove(ledger: FeedLedger, last: FeedEvent): boolean {
  return ledger.pendingAt(last.author, last.seq + 1).some((p) => p.authenticated && p.event.prev === last.id);
}

/** The chain from `fromSeq` up to the nearest signed point, from pending events, if there is one. */
function pendingProof(ledger: FeedLedger, start: PendingEvent, limits: IngestLimits): ForkProofSide {
  const events: Uint8Array[] = [start.event.bytes];
  let cur = start;
  while (!cur.sig && events.length < limits.maxProofEvents) {
    const next = ledger.pendingAt(cur.event.author, cur.event.seq + 1).find((p) => p.authenticated && p.event.prev === cur.event.id);
    if (!next) break;
    events.push(next.event.bytes);
    cur = next;
  }
  return { fromSeq: start.event.seq, events, headSig: cur.sig };
}

function storedProof(ledger: FeedLedger, author: AuthorId, fromSeq: number, limits: IngestLimits): ForkProofSide {
  const point = ledger.signedPointAtOrAbove(author, fromSeq);
  if (!point) return { fromSeq, events: ledger.storedBytes(author, fromSeq, fromSeq), headSig: null };
  const toSeq = Math.min(point.seq, fromSeq + limits.maxProofEvents - 1);
  return { fromSeq, events: ledger.storedBytes(author, fromSeq, toSeq), headSig: toSeq === point.seq ? point.sig : null };
}

function forkEvidence(author: AuthorId, seq: number, ours: ForkProofSide, theirs: ForkProofSide): ForkEvidence {
  return { author, seq, ours, theirs, complete: ours.headSig !== null && theirs.headSig !== null };
}

/** Marks pending events below an authenticated one as authenticated, following prev links down. */
function propagateAuthentication(ledger: FeedLedger, from: PendingEvent): void {
  let want = from.event.prev;
  let seq = from.event.seq - 1;
  while (want !== null && seq >= 1) {
    const below = ledger.pendingAt(from.event.author, seq).find((p) => p.event.id === want);
    if (!below || below.authenticated) return;
    ledger.removePending(from.event.author, seq, below.event.id);
    ledger.putPending({ ...below, authenticated: true });
    want = below.event.prev;
    seq -= 1;
  }
}

/** Appends authenticated pending events that now continue the head. Returns a fork if one shows. */
function drain(ledger: FeedLedger, author: AuthorId, out: RunOutcome, limits: IngestLimits): void {
  for (;;) {
    const head = ledger.head(author);
    const nextSeq = head ? head.seq + 1 : 1;
    const candidates = ledger.pendingAt(author, nextSeq).filter((p) => p.authenticated);
    if (candidates.length === 0) return;
    const good = candidates.find((p) => p.event.prev === (head ? head.id : null));
    if (!good) {
      // An authenticated event at head+1 that names a different predecessor: the author signed two
      // histories. Our side is the stored head; theirs is the pending chain.
      const bad = candidates[0]!;
      out.fork = forkEvidence(author, nextSeq - 1, storedProof(ledger, author, nextSeq - 1, limits), pendingProof(ledger, bad, limits));
      ledger.recordFork(out.fork);
      return;
    }
    ledger.removePending(author, nextSeq, good.event.id);
    ledger.append(good.event, good.sig);
    out.appended.push(good.event);
  }
}

/**
 * Ingests one run. The caller wraps a batch of runs in one storage transaction.
 * Never throws for bad input: problems come back as `rejection` or `fork`.
 */
export function ingestRun(
  ledger: FeedLedger,
  run: IncomingRun,
  verifier: SignatureVerifier,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
): RunOutcome {
  const out: RunOutcome = { appended: [], buffered: 0, duplicates: 0, rejection: null, fork: null };
  const shape = checkRunShape(run);
  if (shape) return reject(out, run.author, shape.code, shape.message, shape.seq);
  const last = run.events[run.events.length - 1]!;

  if (run.sig) {
    if (isImportedAuthor(run.author)) {
      // An imported feed is vouched for by the nodes that attested it, never by a key of its own.
      const sig = run.sig;
      const check = checkAttestedHead(ledger.attestations(run.author), last.seq, last.id, (a) => verifyHeadBy(verifier, hexToBytes(a), run.author, last.seq, last.id, sig));
      if (!check.ok) return reject(out, run.author, check.code, check.message, last.seq);
    } else if (!verifyHead(verifier, run.author, last.seq, last.id, run.sig)) {
      return reject(out, run.author, 'bad_signature', 'the batch signature does not verify against the author key', last.seq);
    }
  }
  // Signed at its end, or linked to an authenticated event just above it.
  const authenticated = run.sig !== null || linksToAuthenticatedAbove(ledger, last);

  if (ledger.isQuarantined(run.author)) {
    // Only exact duplicates are harmless; anything new from a forked feed is refused.
    const allKnown = run.events.every((ev) => ledger.storedAt(run.author, ev.seq)?.id === ev.id);
    if (allKnown) {
      out.duplicates = run.events.length;
      return out;
    }
    return reject(out, run.author, 'feed_quarantined', 'this feed forked and is quarantined; new events are refused', run.events[0]!.seq);
  }

  const toPend: PendingEvent[] = [];
  const headAtStart = ledger.head(run.author)?.seq ?? 0;
  for (let i = 0; i < run.events.length; i++) {
    const ev = run.events[i]!;
    // Feeds are contiguous: nothing above the head can be stored, so skip the lookup there.
    const stored = ev.seq <= headAtStart ? ledger.storedAt(run.author, ev.seq) : null;
    if (stored) {
      if (stored.id === ev.id) {
        out.duplicates++;
        if (authenticated && i === run.events.length - 1 && run.sig && !stored.sig) {
          ledger.addSignature(run.author, ev.seq, run.sig); // a new cut point for relaying
        }
        continue;
      }
      if (!authenticated) {
        return reject(out, run.author, 'conflicts_with_stored', 'an unauthenticated event conflicts with a stored one', ev.seq);
      }
      const theirs: ForkProofSide = { fromSeq: ev.seq, events: run.events.slice(i).map((e) => e.bytes), headSig: run.sig };
      out.fork = forkEvidence(run.author, ev.seq, storedProof(ledger, run.author, ev.seq, limits), theirs);
      ledger.recordFork(out.fork);
      return out;
    }
    const head = ledger.head(run.author);
    const headSeq = head ? head.seq : 0;
    const isLast = i === run.events.length - 1;
    const sig = isLast ? run.sig : null;
    if (ev.seq === headSeq + 1 && toPend.length === 0) {
      if (ev.prev !== (head ? head.id : null)) {
        if (!authenticated) {
          return reject(out, run.author, 'conflicts_with_stored', 'the event does not continue the stored chain', ev.seq);
        }
        const theirs: ForkProofSide = { fromSeq: ev.seq, events: run.events.slice(i).map((e) => e.bytes), headSig: run.sig };
        out.fork = forkEvidence(run.author, headSeq, storedProof(ledger, run.author, headSeq, limits), theirs);
        ledger.recordFork(out.fork);
        return out;
      }
      if (authenticated) {
        ledger.append(ev, sig);
        out.appended.push(ev);
        continue;
      }
    }
    toPend.push({ event: ev, sig, authenticated });
  }

  if (toPend.length > 0) {
    const fresh = toPend.filter((p) => !ledger.pendingAt(run.author, p.event.seq).some((q) => q.event.id === p.event.id));
    if (ledger.pendingCount(run.author) + fresh.length > limits.maxPendingPerAuthor) {
      return reject(out, run.author, 'pending_buffer_full', 'too many out-of-order events are waiting for this feed; resend later', toPend[0]!.event.seq);
    }
    if (ledger.pendingTotal() + fresh.length > limits.maxPendingTotal) {
      return reject(out, run.author, 'pending_buffer_full', `the buffer for out-of-order events is full (${limits.maxPendingTotal} events); resend later`, toPend[0]!.event.seq);
    }
    for (const p of fresh) {
      const conflicting = ledger.pendingAt(run.author, p.event.seq).find((q) => q.authenticated && q.event.id !== p.event.id);
      if (conflicting && p.authenticated) {
        out.fork = forkEvidence(run.author, p.event.seq, pendingProof(ledger, conflicting, limits), pendingProof(ledger, p, limits));
        ledger.recordFork(out.fork);
        return out;
      }
      ledger.putPending(p);
      out.buffered++;
    }
    if (authenticated) propagateAuthentication(ledger, toPend[0]!);
  }
  if (!out.fork) drain(ledger, run.author, out, limits);
  return out;
}
