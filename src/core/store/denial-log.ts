// The denial log port: local writes a gate refused, with the gate's stable code, kept on this
// node for its operators (the gate.denial events that replicate are written by the local writer).
// Shared acceptance suite: test/store/suites/denial-log-suite.ts.

export interface DenialRecord {
  readonly atMs: number;
  readonly gate: string;
  readonly code: string;
  readonly message: string;
  readonly kind: string;
}

export interface DenialLog {
  recordDenial(d: DenialRecord): void;
  /** The newest `limit` denials, newest first. */
  denials(limit: number): DenialRecord[];
}
