// conflicts: everything a coordinator or an auditor should see that did not simply agree.
//   concurrent_write  writes to one field that did not see each other: open (still several heads)
//                     or settled (a later write named them all); who, when, which won, which lost
//   late_fix          a fix older than one its own author had already sent for that truck
//   delayed_fix       a fix recorded long after it was taken (buffered in a dead zone)
//   implausible_fix   a physically impossible fix, with the reason
//   fork              an author signed two histories (reported by the node that saw it)
//   gate_denial       a node refused to write something, with the gate's code
//   clock_ahead       a write stamped well after a write that saw it: its author's clock ran fast
//                     (it still lost to the write that saw it: clocks are advisory)
// Every entry is derived from the event set alone, so nodes holding the same events print the
// same bytes. (Whether a fix arrived "historical" on one node is node-local and shown apart.)
import { DEFAULT_MAX_DRIFT_MS } from '../clock/hlc';
import { hashCanonical, sortCanonicalKeys, type Value } from '../encoding/canonical';
import type { Hasher } from '../crypto/ports';
import { conflictsRoot, groupDigest } from './conflicts-digest';
import { compareTotalOrder, type EventBody, type FeedEvent } from '../events/event';
import { KINDS } from '../events/kinds';
import { decodePayload, type DecodedPayload } from '../events/payloads';
import { sameValue, type FieldWrite } from './field-history';
import type { FleetProjection } from './fleet';
import type { Fix } from './fleet-trail';
import { FindingCounter } from './findings';
import type { Finding, Projection } from './projection';
import { asList, asNum, asStr, SnapshotError, stampOf, type AuthorTable } from './snapshot-codec';
import type { RecordsProjection } from './records';

export type ConflictKind = 'concurrent_write' | 'late_fix' | 'delayed_fix' | 'implausible_fix' | 'fork' | 'gate_denial' | 'clock_ahead';

/** A write stamped more than this after a write that saw it had a fast clock (the HLC drift bound). */
export const CLOCK_AHEAD_MS = DEFAULT_MAX_DRIFT_MS;

export interface ConflictEntry {
  readonly id: string;
  readonly kind: ConflictKind;
  /** Where it sits on the timeline (ms since epoch). */
  readonly atMs: number;
  readonly status: 'open' | 'settled' | null;
  readonly record: string | null;
  readonly field: string | null;
  readonly truck: string | null;
  readonly authors: readonly string[];
  /** The events involved, as [author, seq]. */
  readonly refs: readonly (readonly [string, number])[];
  readonly detail: Value;
}

interface ReportedFork {
  readonly author: string;
  readonly seq: number;
  readonly reporters: Map<string, EventBody>;
}

function writeDetail(w: FieldWrite): Value {
  return { author: w.at.author, seq: w.at.seq, at_ms: w.at.hlc.wall, value: w.value };
}

/** An entry's id: its parts as a JSON list, so no two different entries can share one. */
function entryId(...parts: (string | number)[]): string {
  return JSON.stringify(parts);
}

/** An entry as the view has it. */
function entryView(e: ConflictEntry): Value {
  return { id: e.id, kind: e.kind, at_ms: e.atMs, status: e.status, record: e.record, field: e.field, truck: e.truck, authors: [...e.authors], refs: e.refs.map((r) => [...r]), detail: e.detail };
}

function byEntry(a: ConflictEntry, b: ConflictEntry): number {
  return a.atMs - b.atMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class ConflictsProjection implements Projection {
  readonly id = 'conflicts';
  readonly topic = 'conflicts' as const;
  /** 3: the output hash is a root over per-truck digests (conflicts-digest.ts). */
  readonly version = 3;
  /** Version 2's fold is this one; only its output hash differs (the whole view as one value). */
  readonly outputVersions = [2, 3];
  readonly kinds = [KINDS.forkReport, KINDS.gateDenial];
  /** It also reads what records and fleet folded of field writes and fixes. */
  readonly sources: readonly string[] = [KINDS.fieldSet, KINDS.forkReport, KINDS.gateDenial, KINDS.truckPosition].sort();
  private readonly forks = new Map<string, ReportedFork>();
  private readonly denials: { at: EventBody; detail: Value; gate: string; code: string }[] = [];
  private readonly problems = new FindingCounter();

  constructor(
    private readonly records: RecordsProjection,
    private readonly fleet: FleetProjection,
  ) {}

  /** The entries as of the last change to any of the sources (records and fleet included). */
  private cached: ConflictEntry[] | null = null;
  /** The record writes' entries, kept while no field write arrives (positions do not touch them). */
  private cachedWrites: ConflictEntry[] | null = null;
  private readonly byTruck = new Map<string, { readonly version: number; readonly entries: readonly ConflictEntry[] }>();
  /** Per truck, the digest of its entries (null: it has none) at a trail version. */
  private readonly digests = new Map<string, { readonly version: number; readonly digest: Uint8Array | null }>();
  /** A pass over the trucks bringing their digests up to date, while it lasts. */
  private pass: { readonly ids: readonly string[]; at: number } | null = null;
  /** The trucks in canonical key order, for as many trucks as the fleet had then. */
  private sortedIds: string[] = [];

  apply(ev: FeedEvent, payload: DecodedPayload = decodePayload(ev)): void {
    if (this.sources.includes(ev.kind)) this.cached = null;
    if (ev.kind === KINDS.fieldSet) this.cachedWrites = null;
    if (ev.kind !== KINDS.forkReport && ev.kind !== KINDS.gateDenial) return;
    if (payload.kind === KINDS.forkReport) {
      const key = `${payload.author}:${payload.seq}`;
      let f = this.forks.get(key);
      if (!f) this.forks.set(key, (f = { author: payload.author, seq: payload.seq, reporters: new Map() }));
      f.reporters.set(ev.author, ev);
    } else if (payload.kind === KINDS.gateDenial) {
      const { gate, code } = payload;
      this.denials.push({ at: ev, gate, code, detail: { gate, code, kind: payload.deniedKind, message: payload.message, count: payload.count } });
    } else {
      this.problems.note('malformed_payload', `${ev.kind} events could not be folded`);
    }
  }

  entries(): readonly ConflictEntry[] {
    if (this.cached) return this.cached;
    this.cachedWrites ??= [...this.writeEntries()].sort(byEntry);
    // Sorted runs, one per truck and one for the rest: the sort merges them.
    const runs: ConflictEntry[] = [...this.cachedWrites];
    for (const truck of this.fleet.truckIds()) runs.push(...this.truckEntries(truck));
    runs.push(...this.forkEntries(), ...this.denialEntries());
    this.cached = runs.sort(byEntry);
    return this.cached;
  }

  /** A truck's fix entries, sorted; rebuilt only when its trail changed. */
  private truckEntries(truck: string): readonly ConflictEntry[] {
    const version = this.fleet.trailVersion(truck);
    const kept = this.byTruck.get(truck);
    if (kept && kept.version === version) return kept.entries;
    const entries = [...this.fixEntries(truck)].sort(byEntry);
    this.byTruck.set(truck, { version, entries });
    return entries;
  }

  private *writeEntries(): Iterable<ConflictEntry> {
    for (const { recordId, field, history } of this.records.fieldHistories()) {
      for (const { write, seenBy, aheadByMs } of history.clockAhead(CLOCK_AHEAD_MS)) {
        yield {
          id: entryId('clock', write.at.author, write.at.seq),
          kind: 'clock_ahead',
          atMs: seenBy.at.hlc.wall,
          status: null,
          record: recordId,
          field,
          truck: null,
          authors: [write.at.author],
          refs: [[write.at.author, write.at.seq] as const, [seenBy.at.author, seenBy.at.seq] as const],
          detail: { write: writeDetail(write), seen_by: writeDetail(seenBy), ahead_ms: aheadByMs },
        };
      }
      const open = history.openConflict();
      if (open) {
        const involved = [open.winner, ...open.losers];
        yield {
          id: entryId('open', recordId, field),
          kind: 'concurrent_write',
          atMs: Math.max(...involved.map((h) => h.at.hlc.wall)),
          status: 'open',
          record: recordId,
          field,
          truck: null,
          authors: [...new Set(involved.map((h) => h.at.author))].sort(),
          refs: involved.map((h) => [h.at.author, h.at.seq] as const),
          detail: { winner: writeDetail(open.winner), losers: open.losers.map(writeDetail) },
        };
      }
      for (const merge of history.merges()) {
        const seen = merge.deps!.map((d) => history.resolve(d)).filter((w): w is FieldWrite => w !== null && w !== merge);
        if (seen.length < 2) continue;
        seen.sort((a, b) => compareTotalOrder(b.at, a.at));
        // Writes that agreed on the value were never a conflict, so there was nothing to settle.
        if (seen.every((w) => sameValue(w.value, seen[0]!.value))) continue;
        yield {
          id: entryId('settled', recordId, field, merge.at.author, merge.at.seq),
          kind: 'concurrent_write',
          atMs: Math.max(...seen.map((w) => w.at.hlc.wall)),
          status: 'settled',
          record: recordId,
          field,
          truck: null,
          authors: [...new Set(seen.map((w) => w.at.author))].sort(),
          refs: [...seen.map((w) => [w.at.author, w.at.seq] as const), [merge.at.author, merge.at.seq] as const],
          detail: { winner: writeDetail(seen[0]!), losers: seen.slice(1).filter((w) => !sameValue(w.value, seen[0]!.value)).map(writeDetail), settled_by: writeDetail(merge) },
        };
      }
    }
  }

  /** From what the fleet keeps as fixes arrive: its notes and its flagged fixes, never every fix. */
  private *fixEntries(truck: string): Iterable<ConflictEntry> {
    const base = (f: Fix) => ({ record: null, field: null, truck, authors: [f.at.author], refs: [[f.at.author, f.at.seq] as const], status: null });
    for (const { kind, fix: f, byMs } of this.fleet.fixNotes(truck)) {
      if (kind === 'late_fix') yield { ...base(f), id: entryId('late', truck, f.at.author, f.at.seq), kind, atMs: f.at.hlc.wall, detail: { fix_ms: f.fixMs, late_by_ms: byMs } };
      else yield { ...base(f), id: entryId('delayed', truck, f.at.author, f.at.seq), kind, atMs: f.at.hlc.wall, detail: { fix_ms: f.fixMs, delay_ms: byMs } };
    }
    for (const f of this.fleet.flaggedFixes(truck)) {
      yield { ...base(f), id: entryId('implausible', truck, f.at.author, f.at.seq), kind: 'implausible_fix', atMs: f.fixMs, detail: { fix_ms: f.fixMs, reason: f.flag, lat: f.latE6 / 1e6, lon: f.lonE6 / 1e6 } };
    }
  }

  private *forkEntries(): Iterable<ConflictEntry> {
    for (const f of this.forks.values()) {
      const reports = [...f.reporters.values()].sort(compareTotalOrder);
      yield {
        id: entryId('fork', f.author, f.seq),
        kind: 'fork',
        atMs: reports[0]!.hlc.wall,
        status: null,
        record: null,
        field: null,
        truck: null,
        authors: [f.author],
        refs: reports.map((r) => [r.author, r.seq] as const),
        detail: { author: f.author, seq: f.seq, reported_by: reports.map((r) => r.author) },
      };
    }
  }

  private *denialEntries(): Iterable<ConflictEntry> {
    for (const d of this.denials) {
      yield { id: entryId('denial', d.at.author, d.at.seq), kind: 'gate_denial', atMs: d.at.hlc.wall, status: null, record: null, field: null, truck: null, authors: [d.at.author], refs: [[d.at.author, d.at.seq]], detail: d.detail };
    }
  }

  view(): Value {
    return { entries: this.entries().map(entryView) };
  }

  /** The output hash of `version` (3 unless a report of version 2 is being re-derived). */
  hashOutput(hasher: Hasher, version = this.version): Uint8Array {
    if (version === 2) return hashCanonical(this.view(), hasher);
    // A fresh pass over every truck: one visited by an earlier pass may have changed since.
    this.pass = null;
    this.prepareHash(hasher, () => true);
    if (this.sortedIds.length !== this.digests.size) this.sortedIds = sortCanonicalKeys([...this.digests.keys()]);
    const trucks: (readonly [string, Uint8Array])[] = [];
    for (const id of this.sortedIds) {
      const d = this.digests.get(id)!.digest;
      if (d) trucks.push([id, d]);
    }
    const rest = [...(this.cachedWrites ??= [...this.writeEntries()].sort(byEntry)), ...this.forkEntries(), ...this.denialEntries()].sort(byEntry);
    return conflictsRoot(groupDigest(null, rest.map(entryView), hasher), trucks, hasher);
  }

  /**
   * Brings the trucks' digests up to date while `more()` says so (asked after each truck), and
   * returns how many trucks this pass has still to look at.
   */
  prepareHash(hasher: Hasher, more: () => boolean): number {
    const pass = (this.pass ??= { ids: this.fleet.unorderedTruckIds(), at: 0 });
    while (pass.at < pass.ids.length) {
      const id = pass.ids[pass.at++]!;
      const version = this.fleet.trailVersion(id);
      if (this.digests.get(id)?.version !== version) {
        // The timeline's cached entries when they are current; otherwise made for the digest and
        // dropped (a season's notes are not kept in memory for a hash).
        const kept = this.byTruck.get(id);
        const entries = kept && kept.version === version ? kept.entries : [...this.fixEntries(id)].sort(byEntry);
        this.digests.set(id, { version, digest: entries.length ? groupDigest(id, entries.map(entryView), hasher) : null });
      }
      if (!more()) return pass.ids.length - pass.at;
    }
    this.pass = null;
    return 0;
  }

  findings(): readonly Finding[] {
    return this.problems.list();
  }

  /**
   * Its own state for a checkpoint (what it reads of records and fleet is theirs to save), with
   * every truck's entry digest (null: no entries), so a report after a restart re-hashes nothing.
   */
  exportState(authors: AuthorTable, hasher: Hasher): Value {
    const stampRow = (at: EventBody) => [authors.idx(at.author), at.seq, at.hlc.wall, at.hlc.counter];
    this.pass = null;
    this.prepareHash(hasher, () => true);
    return {
      digests: [...this.digests].map(([id, d]) => [id, d.digest]),
      forks: [...this.forks.values()].map((f) => [f.author, f.seq, [...f.reporters.values()].map(stampRow)]),
      denials: this.denials.map((d) => [stampRow(d.at), d.gate, d.code, d.detail]),
      problems: this.problems.export(),
    };
  }

  importState(v: Value, authors: readonly string[]): void {
    const m = v as Record<string, Value>;
    const at = (x: Value, kind: string) => {
      const [a, s, w, c] = asList(x, 'stamp');
      return stampOf(authors, asNum(a, 'author'), asNum(s, 'seq'), asNum(w, 'wall'), asNum(c, 'counter'), kind);
    };
    for (const f of asList(m['forks'], 'forks')) {
      const [author, seq, reporters] = asList(f, 'fork');
      const fork: ReportedFork = { author: asStr(author, 'fork author'), seq: asNum(seq, 'fork seq'), reporters: new Map() };
      for (const r of asList(reporters, 'reporters')) {
        const rat = at(r, KINDS.forkReport);
        fork.reporters.set(rat.author, rat);
      }
      this.forks.set(`${fork.author}:${fork.seq}`, fork);
    }
    for (const d of asList(m['denials'], 'denials')) {
      const [stamp, gate, code, detail] = asList(d, 'denial');
      this.denials.push({ at: at(stamp!, KINDS.gateDenial), gate: asStr(gate, 'gate'), code: asStr(code, 'code'), detail: detail ?? null });
    }
    this.problems.load(asList(m['problems'], 'problems') as [string, number, string][]);
    // After the fleet's own import: each digest is current for the trail as it was loaded.
    for (const d of asList(m['digests'], 'digests')) {
      const [id, digest] = asList(d, 'digest');
      if (digest !== null && !(digest instanceof Uint8Array && digest.length === 32)) throw new SnapshotError('conflicts: a truck digest is not 32 bytes');
      const truck = asStr(id, 'digest truck');
      this.digests.set(truck, { version: this.fleet.trailVersion(truck), digest: digest === null ? null : digest.slice() });
    }
  }
}
