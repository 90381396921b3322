// Helpers both stores share: ingesting a batch of runs through one ledger, and building the
// next local events of a feed. Storage-specific code (transactions, persistence) stays in the
// stores; the rules stay here.
import type { Hasher, SignatureVerifier } from '../crypto/ports';
import { sealEvent, type FeedEvent } from '../events/event';
import { ingestRun, DEFAULT_INGEST_LIMITS, type IncomingRun, type IngestLimits, type Rejection } from './ingest';
import type { FeedLedger, ForkEvidence } from './ledger';
import type { AdmissionPolicy } from './admission';
import type { LocalAppender, LocalDraft, StoredEvent } from '../store/feed-log';
import type { FeedHead } from './frontier';
import type { HlcStamp } from '../clock/hlc';
import { hexToBytes } from '../encoding/bytes';

export interface BatchTally {
  buffered: number;
  duplicates: number;
  readonly rejections: Rejection[];
  readonly forks: ForkEvidence[];
}

/** Runs every run through the ingest rules against one ledger (the caller owns the transaction). */
export function ingestBatch(
  ledger: FeedLedger,
  runs: readonly IncomingRun[],
  verifier: SignatureVerifier,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
  policy?: AdmissionPolicy,
): BatchTally {
  const tally: BatchTally = { buffered: 0, duplicates: 0, rejections: [], forks: [] };
  for (const run of runs) {
    const refusal = policy?.check(run, (a) => ledger.attestations(a)) ?? null;
    if (refusal) {
      tally.rejections.push({ ...refusal, author: run.author });
      continue;
    }
    const out = ingestRun(ledger, run, verifier, limits);
    if (out.appended.length > 0) policy?.appended(out.appended);
    tally.buffered += out.buffered;
    tally.duplicates += out.duplicates;
    if (out.rejection) tally.rejections.push(out.rejection);
    if (out.fork) tally.forks.push(out.fork);
  }
  return tally;
}

/**
 * A local batch signs every SIGN_EVERY-th seq and its last event: a signed head authenticates the
 * chain below it, so a sync run can end at any of those points (radio frames hold about 25
 * positions) while a burst of intake positions costs one Ed25519 signature per 8 events, not 1.
 */
export const SIGN_EVERY = 8;

/** Seals the next events of the appender's feed on top of `head`, signing as SIGN_EVERY says. */
export function buildLocalEvents(
  appender: LocalAppender,
  head: (FeedHead & { hlc: HlcStamp }) | null,
  drafts: readonly LocalDraft[],
  hasher: Hasher,
): StoredEvent[] {
  const out: StoredEvent[] = [];
  let cur = head;
  // The author's bytes once, and each event's digest as the next one's prev: no hex parsed per event.
  const author = hexToBytes(appender.author);
  let prevBytes: Uint8Array | undefined;
  for (const d of drafts) {
    const hlc = appender.stamp({ head: cur });
    const ev: FeedEvent = sealEvent(
      { author: appender.author, seq: (cur?.seq ?? 0) + 1, prev: cur?.id ?? null, hlc, kind: d.kind, payload: d.payload },
      hasher,
      { author, prev: prevBytes },
    );
    prevBytes = ev.idBytes;
    const last = out.length === drafts.length - 1;
    out.push({ ...ev, sig: last || ev.seq % SIGN_EVERY === 0 ? appender.signHead(ev.seq, ev.id) : null });
    cur = { seq: ev.seq, id: ev.id, hlc };
  }
  return out;
}
