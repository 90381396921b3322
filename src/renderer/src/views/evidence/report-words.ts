// A report's terms in words an auditor reads: what freshness was asked for and what was got, what
// the cache did, how the run was replayed. The node's report-body module defines the kinds.
import { formatDuration } from '../../lib/format';
import type { KindValue } from './report-json';

export interface Worded {
  /** A word or two for tables. */
  readonly short: string;
  /** A sentence for the detail view. */
  readonly long: string;
  readonly tone: 'ok' | 'warn' | 'bad' | 'plain';
}

export function requestedWords(v: KindValue): Worded {
  if (v.kind === 'consistent') return { short: 'Consistent', long: 'Consistent: computed over everything the node held when it ran; the cache is not used.', tone: 'plain' };
  if (v.kind === 'maybe_stale') {
    const age = v.maxStaleMs === null ? 'some' : formatDuration(v.maxStaleMs);
    return { short: `Maybe stale (≤ ${age})`, long: `Maybe stale: a cached result up to ${age} behind the node's state was acceptable.`, tone: 'plain' };
  }
  return { short: v.kind, long: `Requested freshness "${v.kind}" is not one this console knows.`, tone: 'warn' };
}

export function observedWords(v: KindValue): Worded {
  switch (v.kind) {
    case 'fresh':
      return { short: 'Fresh', long: 'Fresh: the output covers everything the node held when it ran.', tone: 'ok' };
    case 'stale_allowed':
      return { short: 'Stale (allowed)', long: "Stale, as allowed: served from the projection cache, behind the node's state but within the requested age.", tone: 'warn' };
    case 'not_applicable':
      return { short: 'Not applicable', long: 'Not applicable: a replay to a fixed input frontier, where freshness has no meaning.', tone: 'plain' };
    case 'unavailable':
      return { short: `Failed (${v.reason ?? 'no reason'})`, long: `Unavailable: the run failed (${v.reason ?? 'no reason given'}); the report records the failure.`, tone: 'bad' };
    default:
      return { short: v.kind, long: `Observed freshness "${v.kind}" is not one this console knows.`, tone: 'warn' };
  }
}

export function cacheWords(v: KindValue): Worded {
  switch (v.kind) {
    case 'hit':
      return { short: 'Hit', long: 'Hit: the output was taken from the projection cache.', tone: 'plain' };
    case 'miss':
      return { short: 'Miss', long: 'Miss: the cache had nothing usable; the output was computed (and cached).', tone: 'plain' };
    case 'bypassed':
      return { short: 'Bypassed', long: 'Bypassed: a Consistent run computes the output rather than use the cache.', tone: 'plain' };
    case 'unavailable':
      return { short: `Unavailable (${v.reason ?? '?'})`, long: `Unavailable: the cache could not be used (${v.reason ?? 'no reason given'}).`, tone: 'warn' };
    default:
      return { short: v.kind, long: `Cache status "${v.kind}".`, tone: 'plain' };
  }
}

export function replayWords(mode: string): string {
  switch (mode) {
    case 'full':
      return 'Full: folded from the first event.';
    case 'checkpoint':
      return 'From a checkpoint: the checkpoint was restored, then the later events folded.';
    case 'cache':
      return 'From the projection cache.';
    default:
      return mode || 'not stated';
  }
}

/** The summary strings of reports.list ("fresh", "maybe_stale(600000 ms)", "unavailable(reason)") as kinds. */
export function kindFromSummary(text: string): KindValue {
  const m = /^([a-z_]+)(?:\((.*)\))?$/.exec(text);
  if (!m) return { kind: text, maxStaleMs: null, reason: null };
  const [, kind, inner] = m;
  if (kind === 'maybe_stale') return { kind, maxStaleMs: inner ? Number.parseInt(inner, 10) : null, reason: null };
  return { kind: kind!, maxStaleMs: null, reason: inner ?? null };
}
