// The quarantine log port: forks (an author who signed two histories), kept as evidence, and the
// feeds they quarantine. Ingest records the forks it detects; a verified fork report from a peer
// is recorded here too (test/store/suites/quarantine-log-suite.ts).
import type { AuthorId } from '../events/event';
import type { ForkEvidence } from '../feed/ledger';

export interface ForkRecord extends ForkEvidence {
  readonly detectedAtMs: number;
}

export interface QuarantineLog {
  forks(): ForkRecord[];
  quarantined(): AuthorId[];
  /** Keeps fork evidence learned from a peer's report and quarantines the feed (idempotent). */
  recordFork(evidence: ForkEvidence, nowMs: number): boolean;
}
