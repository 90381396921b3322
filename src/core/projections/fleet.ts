// fleet: truck trajectories from truck.position events.
//
// A trajectory is ordered by event time (the GPS fix time), never by arrival: fixes are kept
// sorted by (fix time, total order). The current position is the plausible fix with the latest
// event time. A physically impossible fix is kept, flagged with its reason, and excluded from
// the current position; the flags are derived from the sorted trail, so every node that holds
// the same fixes flags the same ones.
import { hashCanonicalStream, sortCanonicalKeys, type Value } from '../encoding/canonical';
import type { Hasher } from '../crypto/ports';
import type { AuthorId, FeedEvent } from '../events/event';
import { KINDS } from '../events/kinds';
import { decodePayload, type DecodedPayload } from '../events/payloads';
import { compareTotalOrder } from '../events/event';
import { TRAIL_READER, TruckTrail, type EvaluatedFix, type Fix, type FixNote } from './fleet-trail';
import { isDuplicate, motionFlag, staticFlag, type FixFlag } from './fix-judge';
import { DEFAULT_SETTINGS, type FleetSettings } from './fleet-settings';
import { FindingCounter } from './findings';
import { FLEET_HASH_BLOCK, fleetHashFromView, fleetRoot, TrailDigest } from './fleet-digest';
import type { Finding, Projection } from './projection';
import { ChunkCache, CHUNK } from './fix-chunk';
import { chunkBytes, CHUNK_META, notesFromValue, notesToValue, readChunkList, readChunks, writeChunk } from './trail-snapshot';
import { asBytes, asList, asNum, asStr, f64Bytes, i32Bytes, readF64, readI32, SnapshotError, AuthorTable } from './snapshot-codec';

export type { EvaluatedFix, Fix, FixNote } from './fleet-trail';
export type { FixFlag } from './fix-judge';

/**
 * The reference judgement of a sorted trail, by the definitions alone (quadratic; tests hold the
 * incremental trail to it). Historical: a fix recorded before it, that no static filter flagged,
 * has a later fix time. Then each fix meets the static filters, duplicates, and the last
 * plausible fix before it (with the latch on, the last plausible one that is not historical).
 */
export function evaluateTrail(fixes: readonly Fix[], s: FleetSettings): EvaluatedFix[] {
  const historical = fixes.map((f) => fixes.some((g) => g.fixMs > f.fixMs && compareTotalOrder(g.at, f.at) < 0 && staticFlag(g, s) === null));
  const out: EvaluatedFix[] = [];
  let lastGood: Fix | null = null;
  fixes.forEach((f, i) => {
    const dup = s.duplicates && fixes.slice(0, i).some((g) => isDuplicate(g, f));
    const flag: FixFlag | null = staticFlag(f, s) ?? (dup ? 'duplicate_fix' : null) ?? (lastGood ? motionFlag(lastGood, f, s) : null);
    out.push({ ...f, flag, historical: historical[i]! });
    if (!flag && !(s.latch && historical[i])) lastGood = f;
  });
  return out;
}

export interface TruckSummary {
  readonly truck: string;
  readonly current: EvaluatedFix | null;
  readonly fixCount: number;
  readonly flaggedCount: number;
  /** Fixes recorded after a newer fix of the truck (the event-time latch): they fire no live alert. */
  readonly historicalCount: number;
  /** The newest fix time of any fix (flagged ones too: the truck's device was heard). */
  readonly lastFixMs: number | null;
  /** The newest fixes in event-time order, flagged ones included. */
  readonly trail: readonly EvaluatedFix[];
  readonly reporters: readonly AuthorId[];
}

export class FleetProjection implements Projection {
  readonly id = 'fleet';
  readonly topic = 'fleet' as const;
  /**
   * 3: a fix's view names its accuracy and its historical mark, and the fold is judged under
   * the fleet's settings (a report names them). 2: the output hash is a root over per-truck
   * chained digests (fleet-digest.ts). 1: one stream over the view.
   */
  readonly version = 3;
  /** Versions 1 and 2 are this fold under the legacy settings, with the fixes' views as they were. */
  readonly outputVersions = [1, 2, 3];
  readonly kinds = [KINDS.truckPosition];
  readonly sources = [KINDS.truckPosition];
  private readonly trucks = new Map<string, TruckTrail>();
  private readonly digests = new Map<string, TrailDigest>();
  /** Trucks whose digest is not up to date with their trail. */
  private readonly stale = new Set<string>();
  /** The view's truck ids in canonical key order, until a truck is added. */
  private sortedIds: string[] | null = null;
  private readonly authors = new AuthorTable();
  /** Scratch the trails share for reading their sealed (older) fixes. */
  private readonly chunks: ChunkCache;
  private readonly problems = new FindingCounter();

  /** `trailChunk`: fixes a trail seals at a time (a test makes it small to seal short trails). */
  constructor(
    readonly settings: FleetSettings = DEFAULT_SETTINGS,
    trailChunk = CHUNK,
  ) {
    this.chunks = new ChunkCache(trailChunk);
  }

  apply(ev: FeedEvent, payload: DecodedPayload = decodePayload(ev)): void {
    if (ev.kind !== KINDS.truckPosition) return;
    if (payload.kind !== KINDS.truckPosition) {
      this.problems.note('malformed_payload', 'truck.position events had payloads that could not be folded');
      return;
    }
    const fix: Fix = {
      truck: payload.truck,
      fixMs: payload.fixMs,
      latE6: payload.latE6,
      lonE6: payload.lonE6,
      speedKmh: payload.speedKmh,
      headingDeg: payload.headingDeg,
      accuracyM: payload.accuracyM,
      recordedMs: ev.hlc.wall,
      at: { author: ev.author, seq: ev.seq, prev: ev.prev, hlc: ev.hlc, kind: ev.kind, payload: null },
    };
    let trail = this.trucks.get(fix.truck);
    if (!trail) {
      trail = new TruckTrail(fix.truck, this.authors, this.settings, this.chunks);
      this.trucks.set(fix.truck, trail);
      this.sortedIds = null;
    }
    trail.add(fix);
    this.stale.add(fix.truck);
  }

  /** The latest fix time committed for a truck (plausible or not), for the event-time latch. */
  latestFixMs(truck: string): number | null {
    return this.trucks.get(truck)?.lastFixMs() ?? null;
  }

  /** The fix author's event `seq` recorded for a truck at `fixMs`, judged, or null. */
  findFix(truck: string, fixMs: number, author: AuthorId, seq: number): EvaluatedFix | null {
    return this.trucks.get(truck)?.find(fixMs, author, seq) ?? null;
  }

  /**
   * Where a truck's fixes taken in [fromMs, toMs] lie in its trail, as indexes [from, to): read
   * them a page at a time with `fixPage` (an export over a season's trail need not hold it twice).
   */
  fixIndexRange(truck: string, fromMs = Number.NEGATIVE_INFINITY, toMs = Number.POSITIVE_INFINITY): readonly [number, number] {
    const trail = this.trucks.get(truck);
    if (!trail || toMs < fromMs) return [0, 0];
    return [trail.indexAtOrAfter(fromMs), toMs === Number.POSITIVE_INFINITY ? trail.size : trail.indexAtOrAfter(toMs + 1)];
  }

  /** A truck's fixes [from, to) of its trail (event-time order), with their judgements. */
  fixPage(truck: string, from: number, to: number): readonly EvaluatedFix[] {
    return this.trucks.get(truck)?.evaluatedRange(from, to) ?? [];
  }

  /** A truck's flagged fixes, in event-time order. */
  flaggedFixes(truck: string): readonly EvaluatedFix[] {
    return this.trucks.get(truck)?.flagged() ?? [];
  }

  /** Changes whenever a fix is added to the truck's trail (0 for an unknown truck). */
  trailVersion(truck: string): number {
    return this.trucks.get(truck)?.version ?? 0;
  }

  /** A truck's late and delayed fixes, for the conflict timeline. */
  fixNotes(truck: string): readonly FixNote[] {
    return this.trucks.get(truck)?.notes() ?? [];
  }

  /**
   * For the alerts: a truck's judged fixes from where its trail changed since they last asked,
   * or from the start when that is before `processed` (the fixes they had taken). Null: no change.
   */
  alertInput(truck: string, processed: number): { readonly restart: boolean; readonly from: number; readonly fixes: readonly EvaluatedFix[] } | null {
    const trail = this.trucks.get(truck);
    if (!trail) return null;
    trail.historicalCount(); // judges first: a judgement may move where the trail changed
    const changed = trail.takeChangedFrom(TRAIL_READER.alerts);
    if (changed === Infinity && processed === trail.size) return null;
    const restart = changed < processed;
    const from = restart ? 0 : processed;
    return { restart, from, fixes: trail.evaluatedRange(from, trail.size) };
  }

  /** The trucks' ids in no particular order (cheaper than truckIds for a pass over all of them). */
  unorderedTruckIds(): string[] {
    return [...this.trucks.keys()];
  }

  truckIds(): string[] {
    return [...this.trucks.keys()].sort();
  }

  summary(truck: string, trailLimit: number): TruckSummary | null {
    const trail = this.trucks.get(truck);
    if (!trail) return null;
    const n = trail.size;
    return {
      truck,
      current: trail.current(),
      fixCount: n,
      flaggedCount: trail.flaggedCount(),
      historicalCount: trail.historicalCount(),
      lastFixMs: trail.lastFixMs(),
      trail: trail.evaluatedRange(n - trailLimit, n),
      reporters: trail.reporters().sort(),
    };
  }

  /** The canonical view (of output versions 1 and 2: `legacy`). */
  view(legacy = false): Value {
    const trucks: Record<string, Value> = {};
    for (const id of this.truckIds()) trucks[id] = this.truckView(id, legacy);
    return { trucks };
  }

  private truckView(id: string, legacy = false): Value {
    const { fixes, current } = this.trucks.get(id)!.views(legacy);
    return { current: current < 0 ? null : fixes[current]!, fixes };
  }

  /** The output hash of `version` (this build's, unless a report of an earlier one is being re-derived). */
  hashOutput(hasher: Hasher, version = this.version): Uint8Array {
    if (version === 1) return this.streamedHash(hasher);
    if (version === 2) return fleetHashFromView(this.view(true), hasher, 2);
    this.prepareHash(hasher, () => true);
    return fleetRoot(this.viewIds(), (id) => this.digests.get(id)!.current!, hasher);
  }

  /**
   * Brings trucks' digests up to date while `more()` says so (it is asked between blocks of 64
   * fixes, so a caller can spread the work over turns of its event loop). Returns how many
   * trucks are still out of date.
   */
  prepareHash(hasher: Hasher, more: () => boolean): number {
    for (const id of this.stale) {
      let d = this.digests.get(id);
      if (!d) this.digests.set(id, (d = new TrailDigest(id)));
      if (!d.advance(this.trucks.get(id)!, hasher, more)) break;
      this.stale.delete(id);
      if (!more()) break;
    }
    return this.stale.size;
  }

  /** The view's truck ids, in canonical key order (a key "__proto__" cannot be a plain object's own key, so it is not in the view). */
  private viewIds(): string[] {
    this.sortedIds ??= sortCanonicalKeys(this.truckIds().filter((id) => id !== '__proto__'));
    return this.sortedIds;
  }

  /** Version 1: the view's canonical bytes as one stream, one truck built at a time. */
  private streamedHash(hasher: Hasher): Uint8Array {
    return hashCanonicalStream(hasher, (s) => {
      s.mapHeader(1);
      s.text('trucks');
      const ids = this.viewIds();
      s.mapHeader(ids.length);
      for (const id of ids) {
        s.text(id);
        s.value(this.truckView(id, true));
      }
    });
  }

  findings(): readonly Finding[] {
    return this.problems.list();
  }

  /**
   * The fold's state for a checkpoint: each trail's sealed chunks as they are packed (one blob),
   * its newest fixes as numeric columns, its authors' order notes, and the trucks' output digests.
   */
  exportState(authors: AuthorTable, hasher: Hasher): Value {
    this.prepareHash(hasher, () => true);
    let n = 0;
    let chunkCount = 0;
    let packedBytes = 0;
    for (const t of this.trucks.values()) {
      n += t.size - t.columns.sealedLength;
      for (const ch of t.columns.sealedChunks()) {
        chunkCount++;
        packedBytes += chunkBytes(ch).length;
      }
    }
    const f64 = { fixMs: new Float64Array(n), seq: new Float64Array(n), wall: new Float64Array(n) };
    const i32 = { lat: new Int32Array(n), lon: new Int32Array(n), speed: new Int32Array(n), heading: new Int32Array(n), author: new Int32Array(n), counter: new Int32Array(n), accuracy: new Int32Array(n) };
    const trucks: Value[] = [];
    const out = { ...f64, ...i32 };
    const authorOf = (a: string): number => authors.idx(a);
    const meta = new Float64Array(chunkCount * CHUNK_META);
    const packed = new Uint8Array(packedBytes);
    let i = 0;
    let chunk = 0;
    let at = 0;
    const digests = new Uint8Array(this.trucks.size * 32);
    const blocks: Uint8Array[] = [];
    for (const [id, t] of this.trucks) {
      const c = t.columns;
      const d = this.digests.get(id)!.export();
      digests.set(d.digest, trucks.length * 32);
      for (const b of d.blocks) blocks.push(b);
      const sealed = c.sealedChunks();
      for (const ch of sealed) at = writeChunk(ch, meta, chunk++, packed, at);
      const hot = c.length - c.sealedLength;
      trucks.push([id, hot, sealed.length, notesToValue(t.exportNotes())]);
      c.exportInto(out, i, authorOf, c.sealedLength);
      i += hot;
    }
    const chains = new Uint8Array(blocks.length * 32);
    blocks.forEach((b, k) => chains.set(b, k * 32));
    return {
      trucks,
      digests,
      chains,
      // The fleet's own author numbers (those inside the packed chunks), as the checkpoint's.
      authors: i32Bytes(Int32Array.from(this.authors.list, authorOf)),
      chunks: f64Bytes(meta),
      packed,
      count: n,
      fix_ms: f64Bytes(f64.fixMs),
      seq: f64Bytes(f64.seq),
      wall: f64Bytes(f64.wall),
      lat: i32Bytes(i32.lat),
      lon: i32Bytes(i32.lon),
      speed: i32Bytes(i32.speed),
      heading: i32Bytes(i32.heading),
      author: i32Bytes(i32.author),
      counter: i32Bytes(i32.counter),
      accuracy: i32Bytes(i32.accuracy),
      problems: this.problems.export(),
    };
  }

  /** Replaces this (empty) fold's state with an exported one. Throws SnapshotError. */
  importState(v: Value, authors: readonly string[]): void {
    const m = v as Record<string, Value>;
    const n = asNum(m['count'], 'count');
    const fixMs = readF64(m['fix_ms'], n, 'fix_ms');
    const seq = readF64(m['seq'], n, 'seq');
    const wall = readF64(m['wall'], n, 'wall');
    const lat = readI32(m['lat'], n, 'lat');
    const lon = readI32(m['lon'], n, 'lon');
    const speed = readI32(m['speed'], n, 'speed');
    const heading = readI32(m['heading'], n, 'heading');
    const author = readI32(m['author'], n, 'author');
    const counter = readI32(m['counter'], n, 'counter');
    const accuracy = readI32(m['accuracy'], n, 'accuracy');
    const columns = { fixMs, seq, wall, lat, lon, speed, heading, author, counter, accuracy };
    // The packed chunks name authors by the fleet's numbers: the table is rebuilt in that order.
    const own = m['authors'];
    if (!(own instanceof Uint8Array) || own.length % 4 !== 0) throw new SnapshotError('fleet: the author numbers have the wrong length');
    for (const [k, ix] of readI32(own, own.length / 4, 'fleet authors').entries()) {
      const a = authors[ix];
      if (a === undefined || this.authors.idx(a) !== k) throw new SnapshotError(`fleet: author ${k} does not fit the author table`);
    }
    const authorOf = (k: number): number => {
      const a = authors[k];
      if (a === undefined) throw new SnapshotError(`fleet: author ${k} is not in the author table`);
      return this.authors.idx(a);
    };
    const meta = readChunkList(m['chunks']);
    const packedValue = m['packed'];
    if (!(packedValue instanceof Uint8Array)) throw new SnapshotError('fleet: the packed fixes are missing');
    // One copy out of the decoded buffer (which may be pooled); the chunks are views into it.
    const packed = packedValue.slice();
    let i = 0;
    let chunk = 0;
    let at = 0;
    const list = asList(m['trucks'], 'trucks');
    const digests = asBytes(m['digests'], list.length * 32, 'fleet: the trucks\' digests');
    const chains = m['chains'];
    if (!(chains instanceof Uint8Array) || chains.length % 32 !== 0) throw new SnapshotError('fleet: the trail chains have the wrong length');
    let block = 0;
    for (const t of list) {
      const [idValue, hotValue, chunksValue, notesValue] = asList(t, 'truck');
      const truck = asStr(idValue, 'truck id');
      const hot = asNum(hotValue, 'truck fix count');
      const chunkN = asNum(chunksValue, 'truck chunk count');
      if (i + hot > n) throw new SnapshotError('fleet: truck fix counts exceed the columns');
      const sealed = readChunks(meta, chunk, chunkN, packed, at);
      chunk += chunkN;
      for (const ch of sealed) at += chunkBytes(ch).length;
      const notes = notesFromValue(notesValue);
      const trail = new TruckTrail(truck, this.authors, this.settings, this.chunks);
      trail.load(sealed, columns, i, hot, authorOf, notes);
      this.trucks.set(truck, trail);
      const count = trail.size;
      const k = Math.floor(count / FLEET_HASH_BLOCK);
      if ((block + k) * 32 > chains.length) throw new SnapshotError('fleet: the trail chains are shorter than the trails');
      const d = new TrailDigest(truck);
      const mine: Uint8Array[] = [];
      for (let j = 0; j < k; j++) mine.push(chains.slice((block + j) * 32, (block + j + 1) * 32));
      const off = this.digests.size * 32;
      d.load(digests.subarray(off, off + 32), mine, trail);
      this.digests.set(truck, d);
      block += k;
      i += hot;
    }
    if (i !== n) throw new SnapshotError('fleet: truck fix counts do not cover the columns');
    if (chunk * CHUNK_META !== meta.length || at !== packed.length) throw new SnapshotError('fleet: the packed chunks do not match the trails');
    if (block * 32 !== chains.length) throw new SnapshotError('fleet: the trail chains do not match the trails');
    this.sortedIds = null;
    this.problems.load(asList(m['problems'], 'problems') as [string, number, string][]);
  }
}
