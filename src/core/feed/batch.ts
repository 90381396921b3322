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

/** Seals and signs the next events of the appender's feed on top of `head`. */
export function buildLocalEvents(
  appender: LocalAppender,
  head: (FeedHead & { hlc: HlcStamp }) | null,
  drafts: readonly LocalDraft[],
  hasher: Hasher,
): StoredEvent[] {
  const out: StoredEvent[] = [];
  let cur = head;
  for (const d of drafts) {
    const hlc = appender.stamp({ head: cur });
    const ev: FeedEvent = sealEvent(
      { author: appender.author, seq: (cur?.seq ?? 0) + 1, prev: cur?.id ?? null, hlc, kind: d.kind, payload: d.payload },
      hasher,
    );
    out.push({ ...ev, sig: appender.signHead(ev.seq, ev.id) });
    cur = { seq: ev.seq, id: ev.id, hlc };
  }
  return out;
}
