// Verifying an evidence report, independent of its author:
//   1. the body hashes to body_hash (else body_hash_mismatch);
//   2. the signature over body_hash verifies against the signer (else signature_invalid);
//   3. with a store: the store reaches the input frontier (else events_missing, listing exactly
//      which, or history_differs), and replaying its log to that frontier gives the same output
//      hash (else output_hash_mismatch).
// A report this store cannot check is "unverifiable", never "invalid": missing events say
// nothing about the report's honesty.
import type { Hasher, SignatureVerifier } from '../crypto/ports';
import { ReportFormatError } from './report-body';
import { checkSeal, reportFromValue, type SignedReport } from './report';
import { checkReach, isProjectionId, replayTo, type DifferingHead, type MissingRange, type ReplayStore } from './replay';
import { vectorDigest } from './input-frontier';
import { createProjections, projectionById } from '../projections/set';
import type { FleetSettings } from '../projections/fleet-settings';
import { fleetSettingsOf } from './report-settings';
import { canRederive } from '../projections/projection';

export type Verdict = 'valid' | 'invalid' | 'unverifiable';

export type VerifyCode =
  | 'ok'
  | 'malformed_report'
  | 'body_hash_mismatch'
  | 'signature_invalid'
  | 'frontier_digest_mismatch'
  | 'output_hash_mismatch'
  | 'settings_unknown'
  | 'events_missing'
  | 'history_differs'
  | 'unknown_projection'
  | 'projection_version_mismatch'
  | 'failed_run';

export interface VerifyResult {
  readonly verdict: Verdict;
  readonly code: VerifyCode;
  /** One sentence a reviewer can act on. */
  readonly message: string;
  readonly checks: {
    readonly bodyHash: 'ok' | 'failed' | 'not_checked';
    readonly signature: 'ok' | 'failed' | 'not_checked';
    readonly output: 'ok' | 'failed' | 'not_checked' | 'unverifiable';
  };
  readonly missing?: readonly MissingRange[];
  readonly differs?: readonly DifferingHead[];
  /** The output hash this store's replay gave. */
  readonly replayedOutputHash?: string;
  readonly replayedEvents?: number;
}

type Crypto = Hasher & SignatureVerifier;

function result(verdict: Verdict, code: VerifyCode, message: string, checks: VerifyResult['checks'], extra: Partial<VerifyResult> = {}): VerifyResult {
  return { verdict, code, message, checks, ...extra };
}

/** Parses a report file's text; text that is not JSON, or not a report, yields a result instead. */
export function parseReportText(text: string): SignedReport | VerifyResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const checks = { bodyHash: 'not_checked', signature: 'not_checked', output: 'not_checked' } as const;
    return result('invalid', 'malformed_report', `this file is not JSON (${(e as Error).message}); a report file is the JSON that \`mandala report --out\` or the console's Export writes`, checks);
  }
  return parseReport(value);
}

/** Parses a report from a JSON text or value; a malformed one yields a result instead. */
export function parseReport(input: unknown): SignedReport | VerifyResult {
  try {
    return reportFromValue(input);
  } catch (e) {
    if (e instanceof ReportFormatError) {
      return result('invalid', 'malformed_report', `this is not a well-formed evidence report: ${e.message}`, { bodyHash: 'not_checked', signature: 'not_checked', output: 'not_checked' });
    }
    throw e;
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function describeMissing(missing: readonly MissingRange[], nameOf: (author: string) => string = (a) => a.slice(0, 8)): string {
  return missing.map((m) => `${nameOf(m.author)} seq ${m.fromSeq === m.toSeq ? m.fromSeq : `${m.fromSeq}–${m.toSeq}`}`).join(', ');
}

export interface VerifyOptions {
  /** Where to replay; without it only the hash and signature are checked. */
  readonly store?: ReplayStore;
  readonly nameOf?: (author: string) => string;
  /** Use a checkpoint to shorten the replay when one fits (default true). */
  readonly useCheckpoint?: boolean;
}

export function verifyReport(report: SignedReport, crypto: Crypto, opts: VerifyOptions = {}): VerifyResult {
  const seal = checkSeal(report, crypto);
  if (!seal.ok) {
    const bodyHash = seal.code === 'body_hash_mismatch' ? 'failed' : 'ok';
    return result('invalid', seal.code, seal.message, { bodyHash, signature: seal.code === 'signature_invalid' ? 'failed' : 'not_checked', output: 'not_checked' });
  }
  const sealed = { bodyHash: 'ok', signature: 'ok' } as const;
  const b = report.body;
  if (vectorDigest(b.input.vector, crypto) !== b.input.digest) {
    return result('invalid', 'frontier_digest_mismatch', 'the input frontier digest does not match its vector: the report contradicts itself', { ...sealed, output: 'not_checked' });
  }
  if (b.outputHash === null) {
    const why = b.observed.kind === 'unavailable' ? b.observed.reason : 'no output';
    return result('valid', 'failed_run', `authentic report of a failed run (${why}); it has no output to re-derive`, { ...sealed, output: 'not_checked' });
  }
  if (!opts.store) {
    return result('valid', 'ok', 'the body hash and the signature are valid (no data folder given, so the output was not re-derived)', { ...sealed, output: 'not_checked' });
  }
  if (!isProjectionId(b.projection)) {
    return result('unverifiable', 'unknown_projection', `this build has no projection "${b.projection}" to replay`, { ...sealed, output: 'unverifiable' });
  }
  const reference = projectionById(createProjections(), b.projection);
  if (!canRederive(reference, b.projectionVersion)) {
    return result('unverifiable', 'projection_version_mismatch', `the report was folded by ${b.projection} version ${b.projectionVersion}; this build folds version ${reference.version}, so it cannot re-derive that output`, { ...sealed, output: 'unverifiable' });
  }
  const reach = checkReach(opts.store, b.input.vector);
  if (reach.missing.length > 0) {
    const n = reach.missing.reduce((s, m) => s + m.toSeq - m.fromSeq + 1, 0);
    return result('unverifiable', 'events_missing', `this data folder lacks ${plural(n, 'event')} of the report's input: ${describeMissing(reach.missing, opts.nameOf)}. Sync with a node that holds them, then verify again.`, { ...sealed, output: 'unverifiable' }, { missing: reach.missing, differs: reach.differs });
  }
  if (reach.differs.length > 0) {
    const names = reach.differs.map((d) => `${(opts.nameOf ?? ((a: string) => a.slice(0, 8)))(d.author)} at seq ${d.seq}`).join(', ');
    return result('unverifiable', 'history_differs', `this data folder holds a different history than the report's input for ${names}: one of the two sides forked`, { ...sealed, output: 'unverifiable' }, { differs: reach.differs });
  }
  let settings: FleetSettings;
  try {
    settings = fleetSettingsOf(b);
  } catch (e) {
    return result('unverifiable', 'settings_unknown', `the report names settings this build does not know (${(e as Error).message}), so it cannot re-derive the output`, { ...sealed, output: 'unverifiable' });
  }
  const replay = replayTo(opts.store, b.projection, b.input.vector, crypto, opts.useCheckpoint ?? true, b.projectionVersion, settings);
  if (replay.outputHash !== b.outputHash) {
    return result('invalid', 'output_hash_mismatch', `replaying this folder's ${plural(b.input.vector.length, 'feed')} to the report's input frontier gives output ${replay.outputHash.slice(0, 16)}…, not the ${b.outputHash.slice(0, 16)}… the report claims`, { ...sealed, output: 'failed' }, { replayedOutputHash: replay.outputHash, replayedEvents: replay.folded });
  }
  const how = replay.checkpoint ? `restoring a checkpoint of ${plural(replay.checkpoint.events, 'event')} and folding ${replay.folded} more` : `replaying ${plural(replay.folded, 'event')}`;
  return result('valid', 'ok', `signed by ${report.signer.slice(0, 16)}…, and ${how} up to its input frontier re-derives output ${replay.outputHash.slice(0, 16)}…`, { ...sealed, output: 'ok' }, { replayedOutputHash: replay.outputHash, replayedEvents: replay.folded });
}
