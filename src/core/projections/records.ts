// records: the coordinators' data (record.create, field.set, note.add, attachment.add).
//
// Field values are last-writer-wins by the total order (HLC wall, HLC counter, author, seq), the
// order meshlogd used, so imported prototype data keeps its winners. The fold is incremental and
// order-independent: each field keeps the greatest write seen; notes and attachments are sets
// emitted in total order. The view has meshlogd's shape:
//   {record_id: {record_id, form, created_by, fields, attachments, notes}}
import { hashCanonical, sortCanonicalKeys, type Value, type ValueMap } from '../encoding/canonical';
import type { Hasher } from '../crypto/ports';
import { recordDigest, recordsRoot } from './records-digest';
import { compareTotalOrder, isAuthorId, type EventBody, type FeedEvent } from '../events/event';
import { isImportedAuthor } from '../import/imported-author';
import { compareCodePoints } from '../util/code-points';
import { KINDS, MAX_DEPS, sortDeps } from '../events/kinds';
import { decodePayload, type DecodedPayload } from '../events/payloads';
import { FindingCounter } from './findings';
import { FieldHistory, refOf, type FieldWrite } from './field-history';
import type { Finding, Projection } from './projection';
import { asList, asNum, asStr, authorAt, SnapshotError, stampOf, type AuthorTable } from './snapshot-codec';

interface Stamped<T> {
  readonly at: EventBody;
  readonly value: T;
}

interface RecordState {
  form: Stamped<Value> | null;
  createdBy: Stamped<Value> | null;
  readonly fields: Map<string, FieldHistory>;
  readonly notes: Stamped<Value>[];
  readonly attachments: Stamped<ValueMap>[];
}

function later<T>(cur: Stamped<T> | null | undefined, at: EventBody, value: T): Stamped<T> {
  return !cur || compareTotalOrder(at, cur.at) >= 0 ? { at, value } : cur;
}

function writeView(w: FieldWrite): Value {
  return { author: w.at.author, seq: w.at.seq, hlc: [w.at.hlc.wall, w.at.hlc.counter], value: w.value };
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class RecordsProjection implements Projection {
  readonly id = 'records';
  readonly topic = 'records' as const;
  /** 2: a write that saw another replaces it whatever the clocks say (version 1 let the greatest stamp win). */
  /** 3: the output hash is a root over per-record digests (records-digest.ts). */
  readonly version = 3;
  /** Version 2's fold is this one; only its output hash differs (the whole view as one value). */
  readonly outputVersions = [2, 3];
  readonly kinds = [KINDS.recordCreate, KINDS.fieldSet, KINDS.noteAdd, KINDS.attachmentAdd];
  readonly sources = [...this.kinds].sort();
  private readonly records = new Map<string, RecordState>();
  private readonly digests = new Map<string, Uint8Array>();
  /** Records whose digest is not up to date. */
  private readonly stale = new Set<string>();
  /** The view's record ids in canonical key order, until a record is added. */
  private sortedIds: string[] | null = null;
  private readonly problems = new FindingCounter();

  private record(id: string): RecordState {
    let r = this.records.get(id);
    if (!r) {
      r = { form: null, createdBy: null, fields: new Map(), notes: [], attachments: [] };
      this.records.set(id, r);
      this.sortedIds = null;
    }
    this.stale.add(id);
    return r;
  }

  private folded = 0;

  apply(ev: FeedEvent, payload: DecodedPayload = decodePayload(ev)): void {
    this.folded++;
    if (!this.kinds.includes(ev.kind as never)) return;
    if (payload.kind === 'malformed') {
      this.problems.note('malformed_payload', `${ev.kind} events had payloads that could not be folded`);
      return;
    }
    switch (payload.kind) {
      case KINDS.recordCreate: {
        const rec = this.record(payload.recordId);
        // As meshlogd: the latest create (total order) that names a form/by decides it. A
        // Mandala-native create without `by` was created by its (signed) author.
        if (payload.form !== undefined) rec.form = later(rec.form, ev, payload.form);
        if (payload.by !== undefined) rec.createdBy = later(rec.createdBy, ev, payload.by);
        else if (isAuthorId(ev.author) && !isImportedAuthor(ev.author)) rec.createdBy = later(rec.createdBy, ev, ev.author);
        break;
      }
      case KINDS.fieldSet: {
        const rec = this.record(payload.recordId);
        let history = rec.fields.get(payload.field);
        if (!history) rec.fields.set(payload.field, (history = new FieldHistory()));
        history.add({ ref: refOf(ev.author, ev.seq), at: ev, value: payload.value, deps: payload.deps });
        break;
      }
      case KINDS.noteAdd:
        this.record(payload.recordId).notes.push({ at: ev, value: payload.text });
        break;
      case KINDS.attachmentAdd:
        this.record(payload.recordId).attachments.push({ at: ev, value: payload.payload });
        break;
    }
  }

  view(): Value {
    const out: Record<string, Value> = {};
    for (const id of [...this.records.keys()].sort(byKey)) out[id] = this.recordView(id);
    return out;
  }

  /** The output hash of `version` (3 unless a report of version 2 is being re-derived). */
  hashOutput(hasher: Hasher, version = this.version): Uint8Array {
    if (version === 2) return hashCanonical(this.view(), hasher);
    this.prepareHash(hasher, () => true);
    // As view() has it: a key "__proto__" cannot be a plain object's own key, so it is not in the view.
    this.sortedIds ??= sortCanonicalKeys([...this.records.keys()].filter((id) => id !== '__proto__'));
    return recordsRoot(this.sortedIds, (id) => this.digests.get(id)!, hasher);
  }

  /** Brings records' digests up to date while `more()` says so; returns how many are left. */
  prepareHash(hasher: Hasher, more: () => boolean): number {
    for (const id of this.stale) {
      this.digests.set(id, recordDigest(id, this.recordView(id), hasher));
      this.stale.delete(id);
      if (!more()) break;
    }
    return this.stale.size;
  }

  private recordView(id: string): Value {
    const r = this.records.get(id)!;
    const fields: Record<string, Value> = {};
    const conflicts: Record<string, Value> = {};
    for (const f of [...r.fields.keys()].sort(byKey)) {
      const history = r.fields.get(f)!;
      fields[f] = history.winner()!.value;
      const open = history.openConflict();
      if (open) conflicts[f] = { winner: writeView(open.winner), losers: open.losers.map(writeView) };
    }
    const attachments = [...r.attachments]
      .sort((a, b) => compareTotalOrder(a.at, b.at))
      .sort((a, b) => compareCodePoints(String(a.value['field']), String(b.value['field'])) || compareCodePoints(String(a.value['blob_hash']), String(b.value['blob_hash'])))
      .map((a) => ({
        field: a.value['field'] as Value,
        blob_hash: a.value['blob_hash'] as Value,
        // As meshlogd's p.get(key, default): a key that is present keeps its value, null included.
        size: a.value['size'] !== undefined ? (a.value['size'] as Value) : 0,
        mime: a.value['mime'] !== undefined ? (a.value['mime'] as Value) : '',
      }));
    return {
      record_id: id,
      form: r.form ? r.form.value : '',
      created_by: r.createdBy ? r.createdBy.value : '',
      fields,
      attachments,
      notes: [...r.notes].sort((a, b) => compareTotalOrder(a.at, b.at)).map((n) => n.value),
      // Open conflicts only (meshlogd's view has no such key: it has no causality to show).
      conflicts: Object.keys(conflicts).length ? conflicts : undefined,
    };
  }

  findings(): readonly Finding[] {
    return this.problems.list();
  }

  /** A field.set that names what this projection has seen of the field (its heads) as deps. */
  draftSet(recordId: string, field: string, value: Value): { kind: string; payload: Value } {
    // Heads are one per author; past MAX_DEPS authors (never seen in practice) the newest are named.
    const heads = this.headsOf(recordId, field).slice(0, MAX_DEPS);
    return { kind: KINDS.fieldSet, payload: { record_id: recordId, field, value, deps: sortDeps(heads) } };
  }

  /** Whether a record.create for this record has been folded (fields may be set before it arrives). */
  isCreated(recordId: string): boolean {
    return (this.records.get(recordId)?.form ?? null) !== null;
  }

  /** The field's current heads as refs: the deps a new write to it should carry. */
  headsOf(recordId: string, field: string): [string, number][] {
    const history = this.records.get(recordId)?.fields.get(field);
    return history ? history.heads().map((w) => [w.at.author, w.at.seq] as [string, number]) : [];
  }

  /** Every field's history, for the conflicts projection. */
  *fieldHistories(): Iterable<{ recordId: string; field: string; history: FieldHistory }> {
    for (const [recordId, r] of this.records) for (const [field, history] of r.fields) yield { recordId, field, history };
  }

  /** Counts the events folded: what a reader caching from the records compares. */
  get changes(): number {
    return this.folded;
  }

  /** The ids of the records whose form is `form` (the alerts read the geofences). */
  idsOfForm(form: string): string[] {
    const out: string[] = [];
    for (const [id, r] of this.records) if (r.form?.value === form) out.push(id);
    return out;
  }

  /** The write a field shows (its winner), or null. */
  fieldWinner(recordId: string, field: string): { readonly value: Value; readonly at: EventBody } | null {
    return this.records.get(recordId)?.fields.get(field)?.winner() ?? null;
  }

  /** A record's notes in the view's order, with who wrote each and when (its author's clock). */
  notesOf(recordId: string): { readonly text: Value; readonly author: string; readonly seq: number; readonly atMs: number }[] {
    const r = this.records.get(recordId);
    if (!r) return [];
    return [...r.notes].sort((a, b) => compareTotalOrder(a.at, b.at)).map((n) => ({ text: n.value, author: n.at.author, seq: n.at.seq, atMs: n.at.hlc.wall }));
  }

  /** The size an attachment.add gives for the file `blobHash` (any record's), or null when none names it. */
  attachmentSize(blobHash: string): number | null {
    for (const r of this.records.values()) {
      for (const a of r.attachments) if (a.value['blob_hash'] === blobHash && typeof a.value['size'] === 'number') return a.value['size'];
    }
    return null;
  }

  /** The record's form, or null while no record.create for it has been folded. */
  formOf(recordId: string): Value | null {
    return this.records.get(recordId)?.form?.value ?? null;
  }

  /** The fold's state for a checkpoint (authors as indexes into `authors`). */
  exportState(authors: AuthorTable): Value {
    const stamp = <T extends Value>(x: Stamped<T> | null): Value => (x ? [authors.idx(x.at.author), x.at.seq, x.at.hlc.wall, x.at.hlc.counter, x.value] : null);
    const records: Value[] = [];
    for (const [id, r] of this.records) {
      const fields: Value[] = [];
      for (const [field, h] of r.fields) {
        const writes = [...h.writes.values()].map((w) => [authors.idx(w.at.author), w.at.seq, w.at.hlc.wall, w.at.hlc.counter, w.value, w.deps ? w.deps.map(([a, s]) => [authors.idx(a), s]) : null]);
        fields.push([field, writes]);
      }
      records.push([id, stamp(r.form), stamp(r.createdBy), fields, r.notes.map(stamp), r.attachments.map(stamp)]);
    }
    return { records, problems: this.problems.export() };
  }

  /** Replaces this (empty) fold's state with an exported one. Throws SnapshotError. */
  importState(v: Value, authors: readonly string[]): void {
    if (this.records.size > 0) throw new SnapshotError('records: import into a fold that already holds state');
    const m = v as { records?: Value; problems?: Value };
    const at = (row: readonly Value[], kind: string) => stampOf(authors, asNum(row[0], 'author'), asNum(row[1], 'seq'), asNum(row[2], 'wall'), asNum(row[3], 'counter'), kind);
    const stamped = <T>(x: Value, kind: string): Stamped<T> | null => {
      if (x === null) return null;
      const row = asList(x, 'stamp');
      return { at: at(row, kind), value: row[4] as T };
    };
    for (const item of asList(m.records, 'records')) {
      const [id, form, by, fields, notes, attachments] = asList(item, 'record');
      const rec = this.record(asStr(id, 'record id'));
      rec.form = stamped<Value>(form ?? null, KINDS.recordCreate);
      rec.createdBy = stamped<Value>(by ?? null, KINDS.recordCreate);
      for (const f of asList(fields, 'fields')) {
        const [name, writes] = asList(f, 'field');
        const history = new FieldHistory();
        rec.fields.set(asStr(name, 'field name'), history);
        for (const w of asList(writes, 'writes')) {
          const row = asList(w, 'write');
          const stampAt = at(row, KINDS.fieldSet);
          const deps = row[5] === null ? null : asList(row[5], 'deps').map((d) => {
            const [ai, seq] = asList(d, 'dep');
            return [authorAt(authors, asNum(ai, 'dep author')), asNum(seq, 'dep seq')] as const;
          });
          history.add({ ref: refOf(stampAt.author, stampAt.seq), at: stampAt, value: row[4] as Value, deps });
        }
      }
      for (const n of asList(notes, 'notes')) rec.notes.push(stamped<Value>(n, KINDS.noteAdd)!);
      for (const a of asList(attachments, 'attachments')) rec.attachments.push(stamped<ValueMap>(a, KINDS.attachmentAdd)!);
    }
    this.problems.load(asList(m.problems, 'problems') as [string, number, string][]);
  }

  /** Number of records, for summaries. */
  get size(): number {
    return this.records.size;
  }
}
