// The deterministic body of an evidence report: what a projection run claims, in a form whose
// canonical bytes (and so body_hash) are the same on every platform. Everything in it is plain
// JSON (strings, integers, null, lists, maps), so the exported JSON file re-encodes to the same
// bytes. Generation time, app version and diagnostics are metadata and stay outside it.
import { hashCanonical, type Value, type ValueMap } from '../encoding/canonical';
import { toHex } from '../encoding/bytes';
import type { Hasher } from '../crypto/ports';
import type { HlcStamp } from '../clock/hlc';
import type { InputEntry, InputFrontier } from './input-frontier';

export const REPORT_SCHEMA_VERSION = 1;

export type RequestedFreshness = { readonly kind: 'consistent' } | { readonly kind: 'maybe_stale'; readonly maxStaleMs: number };

/**
 * fresh: the output covers everything the node held when it ran.
 * stale_allowed: served from the projection cache, behind the node's state but within the
 *   requested max staleness.
 * not_applicable: the run was a replay to a fixed input frontier (a verifier's re-derivation),
 *   where freshness has no meaning.
 * unavailable: the run failed; `reason` says why.
 */
export type ObservedFreshness =
  | { readonly kind: 'fresh' }
  | { readonly kind: 'stale_allowed' }
  | { readonly kind: 'not_applicable' }
  | { readonly kind: 'unavailable'; readonly reason: string };

export type CacheStatus =
  | { readonly kind: 'hit' }
  | { readonly kind: 'miss' }
  | { readonly kind: 'bypassed' }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** full: folded from the first event; checkpoint: restored from checkpoint_ref, then the rest folded; cache: taken from the projection cache. */
export type ReplayMode = 'full' | 'checkpoint' | 'cache';

export interface CheckpointRef {
  /** SHA-256 of the checkpoint's state bytes, hex. */
  readonly stateHash: string;
  /** Events the checkpoint had folded. */
  readonly events: number;
}

export interface ReportFinding {
  readonly code: string;
  readonly message: string;
}

export interface ReportBody {
  readonly schemaVersion: number;
  readonly projection: string;
  readonly projectionVersion: number;
  /** The event kinds the projection reads, sorted. */
  readonly sourceRefs: readonly string[];
  readonly replayMode: ReplayMode;
  readonly requested: RequestedFreshness;
  readonly observed: ObservedFreshness;
  readonly input: InputFrontier;
  /** Hash of the canonical state; null when the run failed. */
  readonly outputHash: string | null;
  readonly cache: CacheStatus;
  readonly checkpoint: CheckpointRef | null;
  /** Sorted by code, then message. */
  readonly findings: readonly ReportFinding[];
  /**
   * The settings the fold ran under, when the projection has any (the fleet's plausibility
   * filters, for fleet and conflicts). Absent in reports made before settings existed: those
   * were folded under the legacy settings.
   */
  readonly settings?: ValueMap;
}

export class ReportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportFormatError';
  }
}

export const FINDING_CODE = /^[a-z][a-z0-9_]*$/;

export function sortFindings(findings: Iterable<ReportFinding>): ReportFinding[] {
  return [...findings].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

function kindValue(v: { readonly kind: string; readonly reason?: string; readonly maxStaleMs?: number }): Value {
  if (v.kind === 'maybe_stale') return { kind: v.kind, max_stale_ms: v.maxStaleMs! };
  if (v.reason !== undefined) return { kind: v.kind, reason: v.reason };
  return { kind: v.kind };
}

/** The canonical Value of a body (snake_case keys; the hashed identity). */
export function bodyToValue(b: ReportBody): Value {
  return {
    schema_version: b.schemaVersion,
    projection: b.projection,
    projection_version: b.projectionVersion,
    source_refs: [...b.sourceRefs],
    replay_mode: b.replayMode,
    requested_freshness: kindValue(b.requested),
    observed_freshness: kindValue(b.observed),
    input_frontier: {
      vector: b.input.vector.map((e) => [e.author, e.seq, e.head]),
      digest: b.input.digest,
      hlc_high: b.input.hlcHigh ? [b.input.hlcHigh.wall, b.input.hlcHigh.counter] : null,
    },
    output_hash: b.outputHash,
    cache_status: kindValue(b.cache),
    checkpoint_ref: b.checkpoint ? { state_hash: b.checkpoint.stateHash, events: b.checkpoint.events } : null,
    findings: b.findings.map((f) => ({ code: f.code, message: f.message })),
    settings: b.settings,
  };
}

export function bodyHash(b: ReportBody, hasher: Hasher): string {
  return toHex(hashCanonical(bodyToValue(b), hasher));
}

// ---- strict parsing (a report file from anywhere) -------------------------------------------

const HEX64 = /^[0-9a-f]{64}$/;

function fail(what: string): never {
  throw new ReportFormatError(what);
}

function map(v: unknown, what: string): ValueMap {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) fail(`${what} must be an object`);
  return v as ValueMap;
}

function str(v: unknown, what: string, pattern?: RegExp): string {
  if (typeof v !== 'string' || (pattern && !pattern.test(v))) fail(`${what} is missing or not in the expected form`);
  return v;
}

function int(v: unknown, what: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(`${what} must be an integer >= ${min}`);
  return v;
}

function onlyKeys(m: ValueMap, keys: readonly string[], what: string): void {
  for (const k of Object.keys(m)) if (!keys.includes(k)) fail(`${what} has an unknown key "${k}"`);
}

function parseKind<T>(v: unknown, what: string, allowed: readonly string[], extra: (m: ValueMap, kind: string) => T): T {
  const m = map(v, what);
  const kind = str(m['kind'], `${what}.kind`);
  if (!allowed.includes(kind)) fail(`${what}.kind "${kind}" is not one of ${allowed.join(', ')}`);
  return extra(m, kind);
}

function parseRequested(v: unknown): RequestedFreshness {
  return parseKind(v, 'requested_freshness', ['consistent', 'maybe_stale'], (m, kind) => {
    if (kind === 'consistent') return onlyKeys(m, ['kind'], 'requested_freshness'), { kind: 'consistent' as const };
    onlyKeys(m, ['kind', 'max_stale_ms'], 'requested_freshness');
    return { kind: 'maybe_stale' as const, maxStaleMs: int(m['max_stale_ms'], 'requested_freshness.max_stale_ms') };
  });
}

function withReason<K extends string>(m: ValueMap, kind: K, what: string): { kind: K } | { kind: 'unavailable'; reason: string } {
  if (kind === 'unavailable') {
    onlyKeys(m, ['kind', 'reason'], what);
    return { kind: 'unavailable', reason: str(m['reason'], `${what}.reason`, FINDING_CODE) };
  }
  onlyKeys(m, ['kind'], what);
  return { kind };
}

function parseVector(v: unknown): InputEntry[] {
  if (!Array.isArray(v)) fail('input_frontier.vector must be a list');
  let prev = '';
  return v.map((item, i) => {
    if (!Array.isArray(item) || item.length !== 3) fail(`input_frontier.vector[${i}] must be [author, seq, head]`);
    const author = str(item[0], `input_frontier.vector[${i}] author`, HEX64);
    if (author <= prev) fail('input_frontier.vector must be sorted by author without repeats');
    prev = author;
    return { author, seq: int(item[1], `input_frontier.vector[${i}] seq`, 1), head: str(item[2], `input_frontier.vector[${i}] head`, HEX64) };
  });
}

function parseHlc(v: unknown): HlcStamp | null {
  if (v === null) return null;
  if (!Array.isArray(v) || v.length !== 2) fail('input_frontier.hlc_high must be [wall, counter] or null');
  return { wall: int(v[0], 'hlc_high wall'), counter: int(v[1], 'hlc_high counter') };
}

const BODY_KEYS = [
  'schema_version', 'projection', 'projection_version', 'source_refs', 'replay_mode', 'requested_freshness', 'observed_freshness',
  'input_frontier', 'output_hash', 'cache_status', 'checkpoint_ref', 'findings', 'settings',
] as const;

/** Parses a body Value (from a report event or a JSON file). Throws ReportFormatError. */
export function bodyFromValue(v: unknown): ReportBody {
  const m = map(v, 'body');
  onlyKeys(m, BODY_KEYS, 'body');
  const schemaVersion = int(m['schema_version'], 'schema_version', 1);
  if (schemaVersion !== REPORT_SCHEMA_VERSION) fail(`schema_version ${schemaVersion} is not one this build reads (${REPORT_SCHEMA_VERSION})`);
  const sources = m['source_refs'];
  if (!Array.isArray(sources)) fail('source_refs must be a list');
  const sourceRefs = sources.map((s, i) => str(s, `source_refs[${i}]`));
  if (sourceRefs.some((s, i) => i > 0 && s <= sourceRefs[i - 1]!)) fail('source_refs must be sorted without repeats');
  const replayMode = str(m['replay_mode'], 'replay_mode');
  if (!['full', 'checkpoint', 'cache'].includes(replayMode)) fail(`replay_mode "${replayMode}" is unknown`);
  const input = map(m['input_frontier'], 'input_frontier');
  onlyKeys(input, ['vector', 'digest', 'hlc_high'], 'input_frontier');
  const output = m['output_hash'];
  const cp = m['checkpoint_ref'];
  let checkpoint: CheckpointRef | null = null;
  if (cp !== null) {
    const c = map(cp, 'checkpoint_ref');
    onlyKeys(c, ['state_hash', 'events'], 'checkpoint_ref');
    checkpoint = { stateHash: str(c['state_hash'], 'checkpoint_ref.state_hash', HEX64), events: int(c['events'], 'checkpoint_ref.events') };
  }
  const fl = m['findings'];
  if (!Array.isArray(fl)) fail('findings must be a list');
  const findings = fl.map((f, i) => {
    const fm = map(f, `findings[${i}]`);
    onlyKeys(fm, ['code', 'message'], `findings[${i}]`);
    return { code: str(fm['code'], `findings[${i}].code`, FINDING_CODE), message: str(fm['message'], `findings[${i}].message`) };
  });
  const sorted = sortFindings(findings);
  if (sorted.some((f, i) => f !== findings[i])) fail('findings must be sorted by code');
  return {
    schemaVersion,
    projection: str(m['projection'], 'projection', FINDING_CODE),
    projectionVersion: int(m['projection_version'], 'projection_version', 1),
    sourceRefs,
    replayMode: replayMode as ReplayMode,
    requested: parseRequested(m['requested_freshness']),
    observed: parseKind(m['observed_freshness'], 'observed_freshness', ['fresh', 'stale_allowed', 'not_applicable', 'unavailable'], (x, k) =>
      withReason(x, k as 'fresh' | 'stale_allowed' | 'not_applicable', 'observed_freshness'),
    ),
    input: { vector: parseVector(input['vector']), digest: str(input['digest'], 'input_frontier.digest', HEX64), hlcHigh: parseHlc(input['hlc_high']) },
    outputHash: output === null ? null : str(output, 'output_hash', HEX64),
    cache: parseKind(m['cache_status'], 'cache_status', ['hit', 'miss', 'bypassed', 'unavailable'], (x, k) => withReason(x, k as 'hit' | 'miss' | 'bypassed', 'cache_status')),
    checkpoint,
    findings,
    ...(m['settings'] === undefined ? {} : { settings: map(m['settings'], 'settings') }),
  };
}
