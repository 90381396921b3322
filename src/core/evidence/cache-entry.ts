// One projection cache entry: the output a run computed, and exactly what it was computed from.
// A report that allows staleness may be served from it (cache hit) without folding or hashing.
import { decodeCanonical, encodeCanonical, type Value, type ValueMap } from '../encoding/canonical';
import type { InputFrontier } from './input-frontier';
import { bodyFromValue, bodyToValue, REPORT_SCHEMA_VERSION, type CheckpointRef, type ReplayMode, type ReportFinding } from './report-body';

export interface CachedOutput {
  readonly projection: string;
  readonly projectionVersion: number;
  readonly sourceRefs: readonly string[];
  readonly input: InputFrontier;
  readonly outputHash: string;
  readonly replayMode: ReplayMode;
  readonly checkpoint: CheckpointRef | null;
  readonly findings: readonly ReportFinding[];
  /** The settings the fold ran under (a hit must have the node's settings now). */
  readonly settings?: ValueMap;
}

// Stored as a (fresh, consistent, bypassed) body: one strict parser for both.
export function encodeCachedOutput(c: CachedOutput): Uint8Array {
  return encodeCanonical(
    bodyToValue({
      schemaVersion: REPORT_SCHEMA_VERSION,
      projection: c.projection,
      projectionVersion: c.projectionVersion,
      sourceRefs: c.sourceRefs,
      replayMode: c.replayMode,
      requested: { kind: 'consistent' },
      observed: { kind: 'fresh' },
      input: c.input,
      outputHash: c.outputHash,
      cache: { kind: 'bypassed' },
      checkpoint: c.checkpoint,
      findings: c.findings,
      settings: c.settings,
    }),
  );
}

/** Throws (ReportFormatError or a decode error) when the entry is damaged. */
export function decodeCachedOutput(bytes: Uint8Array): CachedOutput {
  const b = bodyFromValue(decodeCanonical(bytes) as Value);
  if (b.outputHash === null) throw new Error('cache entry without an output');
  return {
    projection: b.projection,
    projectionVersion: b.projectionVersion,
    sourceRefs: b.sourceRefs,
    input: b.input,
    outputHash: b.outputHash,
    replayMode: b.replayMode,
    checkpoint: b.checkpoint,
    findings: b.findings,
    ...(b.settings ? { settings: b.settings } : {}),
  };
}
