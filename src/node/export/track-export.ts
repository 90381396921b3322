// Exports of trucks' tracks (GPX, KML, CSV): which fixes go out, in what order, and how far an
// export has got. A track is one truck's fixes in event-time order (the fleet fold's trail order),
// flagged ones included and marked with their reason, so an auditor sees what the map left out.
// The fixes are read from the fold a page at a time; an encoder turns pages into text chunks.
import type { FleetProjection } from '../../core/projections/fleet';
import type { EvaluatedFix } from '../../core/projections/fleet-trail';
import { MandalaError } from '../errors';

export const TRACK_FORMATS = ['gpx', 'kml', 'csv'] as const;
export type TrackFormat = (typeof TRACK_FORMATS)[number];

export interface TrackQuery {
  /** The trucks to export, in this order; null for every truck (sorted by id). */
  readonly trucks: readonly string[] | null;
  /** Fixes taken at or after this time (ms since the epoch); null: from the first. */
  readonly fromMs: number | null;
  /** Fixes taken at or before this time; null: to the last. */
  readonly toMs: number | null;
}

/** A track as an encoder reads it: its truck, and its fixes a page at a time (each call starts over). */
export interface TrackPages {
  readonly truck: string;
  readonly count: number;
  pages(): Iterable<readonly EvaluatedFix[]>;
}

export interface TrackEncoder {
  readonly mime: string;
  readonly extension: string;
  head(): string;
  /** The track's text, chunk by chunk. An encoder may read the pages more than once (KML does). */
  track(t: TrackPages): Iterable<string>;
  tail(): string;
}

export interface ExportSummary {
  readonly tracks: number;
  readonly points: number;
  readonly flagged: number;
}

export interface ExportProgress {
  readonly done: number;
  readonly total: number;
}

const PAGE = 2000;

/** Checks the trucks asked for, so a typo is named rather than exported as an empty file. */
export function resolveTrucks(fleet: FleetProjection, asked: readonly string[] | null): string[] {
  const known = fleet.truckIds();
  if (asked === null || asked.length === 0) return known;
  const have = new Set(known);
  const missing = asked.filter((t) => !have.has(t));
  if (missing.length > 0) {
    const list = known.length === 0 ? 'this node holds no truck positions yet' : `the trucks here are ${known.slice(0, 12).join(', ')}${known.length > 12 ? ` and ${known.length - 12} more` : ''}`;
    throw new MandalaError('unknown_truck', `no truck ${missing.map((t) => `"${t}"`).join(', ')} on this node; ${list}`);
  }
  return [...new Set(asked)];
}

/**
 * The export's text as chunks, head to tail. `onProgress` hears each page the first time an
 * encoder reads it. `summary` is complete once the chunks are all taken.
 */
export function trackChunks(
  fleet: FleetProjection,
  query: TrackQuery,
  encoder: TrackEncoder,
  onProgress: (p: ExportProgress) => void = () => {},
): { readonly total: number; readonly chunks: Iterable<string>; readonly summary: () => ExportSummary } {
  const trucks = resolveTrucks(fleet, query.trucks);
  const ranges = trucks.map((truck) => ({ truck, range: fleet.fixIndexRange(truck, query.fromMs ?? undefined, query.toMs ?? undefined) }));
  const total = ranges.reduce((n, r) => n + (r.range[1] - r.range[0]), 0);
  let done = 0;
  let flagged = 0;
  let tracks = 0;
  function* chunks(): Iterable<string> {
    yield encoder.head();
    for (const { truck, range } of ranges) {
      const [from, to] = range;
      if (to <= from) continue;
      tracks++;
      let counted = false;
      const pages = function* (): Iterable<readonly EvaluatedFix[]> {
        for (let i = from; i < to; i += PAGE) {
          const page = fleet.fixPage(truck, i, Math.min(to, i + PAGE));
          if (!counted) {
            done += page.length;
            for (const f of page) if (f.flag !== null) flagged++;
            onProgress({ done, total });
          }
          yield page;
        }
        counted = true;
      };
      yield* encoder.track({ truck, count: to - from, pages });
    }
    yield encoder.tail();
  }
  return { total, chunks: chunks(), summary: () => ({ tracks, points: done, flagged }) };
}

/** ISO-8601 UTC, as every format here writes a fix's time. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Degrees as the fleet view prints them (e6 integers over a million). */
export function degrees(e6: number): string {
  return String(e6 / 1e6);
}

const XML_ESCAPES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML element content and attribute values; characters XML 1.0 cannot hold become U+FFFD. */
export function xmlText(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const legal = c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;
    out += legal ? (XML_ESCAPES[ch] ?? ch) : '\ufffd';
  }
  return out;
}
