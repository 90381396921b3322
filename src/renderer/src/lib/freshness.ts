// How old a truck's last fix may be before dispatchers should stop trusting where it is drawn.
// The thresholds are the product's (design: "stale trucks greyed by age"); colours live in CSS
// and in the map style, keyed by these names.

export type Freshness = 'fresh' | 'aging' | 'stale' | 'unknown';

export const FRESH_LIMIT_MS = 2 * 60_000;
export const AGING_LIMIT_MS = 10 * 60_000;

export function freshnessOf(fixMs: number | null | undefined, nowMs: number): Freshness {
  if (fixMs === null || fixMs === undefined) return 'unknown';
  const age = nowMs - fixMs;
  if (age < FRESH_LIMIT_MS) return 'fresh';
  if (age < AGING_LIMIT_MS) return 'aging';
  return 'stale';
}

export const FRESHNESS_LABEL: Readonly<Record<Freshness, string>> = {
  fresh: 'fresh (< 2 min)',
  aging: 'aging (< 10 min)',
  stale: 'stale (10 min +)',
  unknown: 'no position yet',
};

/** Map paint colours; the CSS variables --fresh, --aging, --stale carry the same values. */
export const FRESHNESS_COLOR: Readonly<Record<Freshness, string>> = {
  fresh: '#3fd68f',
  aging: '#f2b53d',
  stale: '#6e7a89',
  unknown: '#6e7a89',
};
