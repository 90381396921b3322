// The console API's types for the auditor: the conflict timeline's entries and queries, stored
// events, and signed evidence reports (api.ts re-exports them).
import type { JsonValue } from './api';

export type ConflictKindDto = 'concurrent_write' | 'late_fix' | 'delayed_fix' | 'implausible_fix' | 'fork' | 'gate_denial' | 'clock_ahead';

/** One entry of the conflicts projection (see src/core/projections/conflicts.ts). */
export interface ConflictEntryDto {
  readonly id: string;
  readonly kind: ConflictKindDto;
  readonly atMs: number;
  readonly status: 'open' | 'settled' | null;
  readonly record: string | null;
  readonly field: string | null;
  readonly truck: string | null;
  readonly authors: readonly string[];
  /** The events involved, as [author, seq]. */
  readonly refs: readonly (readonly [string, number])[];
  readonly detail: JsonValue;
  /** One line a person reads. */
  readonly summary: string;
}

export interface ConflictQueryDto {
  readonly kinds?: readonly ConflictKindDto[];
  readonly record?: string;
  readonly truck?: string;
  readonly author?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Newest entries first when more match; at most 5000. */
  readonly limit?: number;
}

export interface ConflictListDto {
  /** Matching entries in time order (the newest `limit` of them). */
  readonly entries: readonly ConflictEntryDto[];
  readonly matched: number;
  readonly total: number;
  /** Entries per kind, over everything (for the filter chips). */
  readonly counts: Readonly<Record<string, number>>;
  readonly openCount: number;
  /** The time span of all entries, for the zoom control. */
  readonly spanMs: readonly [number, number] | null;
  readonly records: readonly string[];
  readonly trucks: readonly string[];
  readonly authors: readonly string[];
}

export interface EventDto {
  readonly author: string;
  readonly seq: number;
  readonly id: string;
  readonly kind: string;
  readonly hlcWall: number;
  readonly hlcCounter: number;
  readonly payload: JsonValue;
  /** True when a head signature is held at this event (it authenticates everything below it). */
  readonly signedHere: boolean;
  /** Imported from a prototype file: no original signature, vouched for by the importing node. */
  readonly imported: boolean;
  /** For an imported event: the nodes whose attestation covers it (they vouch for it). */
  readonly vouchedBy: readonly string[];
}

export interface ReportRefDto {
  readonly author: string;
  readonly seq: number;
}

export interface ReportSummaryDto {
  readonly ref: ReportRefDto;
  /** The report.created event's id. */
  readonly eventId: string;
  readonly signer: string;
  readonly projection: string;
  readonly generatedAtMs: number;
  readonly bodyHash: string;
  readonly outputHash: string | null;
  readonly requested: string;
  readonly observed: string;
  readonly cache: string;
  readonly replayMode: string;
  readonly feeds: number;
  readonly hlcHighMs: number | null;
  readonly findings: number;
  /** Made by this node. */
  readonly local: boolean;
}

export interface ReportDetailDto {
  readonly summary: ReportSummaryDto;
  /** The whole report as its exported JSON (body, body_hash, signer, signature, metadata). */
  readonly report: JsonValue;
}

export interface VerifyResultDto {
  readonly verdict: 'valid' | 'invalid' | 'unverifiable';
  readonly code: string;
  readonly message: string;
  readonly checks: { readonly bodyHash: string; readonly signature: string; readonly output: string };
  readonly missing: readonly { readonly author: string; readonly fromSeq: number; readonly toSeq: number }[];
  readonly differs: readonly { readonly author: string; readonly seq: number; readonly expected: string; readonly found: string }[];
  readonly replayedOutputHash: string | null;
  readonly replayedEvents: number | null;
  readonly tookMs: number;
}

export interface ReportCreatedDto {
  readonly summary: ReportSummaryDto;
  readonly report: JsonValue;
  /** False when the report could not be stored as an event (it can still be exported). */
  readonly stored: boolean;
  readonly message: string;
}
