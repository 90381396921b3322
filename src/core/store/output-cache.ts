// The output cache port: projection outputs computed earlier, kept so a report that allows
// staleness can reuse one without folding anything (test/store/suites/output-cache-suite.ts).

/** A projection output computed earlier. */
export interface CachedOutputRow {
  readonly createdAtMs: number;
  /** The store position (see FeedLog.readSince) the output was folded to. */
  readonly position: number;
  /** Canonical bytes of the entry (core/evidence/cache-entry.ts). */
  readonly entry: Uint8Array;
}

export interface OutputCache {
  /** Caches an output of one projection version and keeps only the newest `keep` of them. */
  saveCachedOutput(projection: string, version: number, row: CachedOutputRow, keep: number): void;
  latestCachedOutput(projection: string, version: number): CachedOutputRow | null;
}
