// records: the coordinators' data (record.create, field.set, note.add, attachment.add).
//
// Field values are last-writer-wins by the total order (HLC wall, HLC counter, author, seq), the
// order meshlogd used, so imported prototype data keeps its winners. The fold is incremental and
// order-independent: each field keeps the greatest write seen; notes and attachments are sets
// emitted in total order. The view has meshlogd's shape:
//   {record_id: {record_id, form, created_by, fields, attachments, notes}}
import type { Value, ValueMap } from '../encoding/canonical';
import { compareTotalOrder, isAuthorId, type EventBody, type FeedEvent } from '../events/event';
import { KINDS, asMap, validatePayload } from '../events/kinds';
import { FindingCounter } from './findings';
import type { Finding, Projection } from './projection';

interface Stamped<T> {
  readonly at: EventBody;
  readonly value: T;
}

interface RecordState {
  form: Stamped<string> | null;
  createdBy: Stamped<string> | null;
  readonly fields: Map<string, Stamped<Value>>;
  readonly notes: Stamped<string>[];
  readonly attachments: Stamped<ValueMap>[];
}

function later<T>(cur: Stamped<T> | null | undefined, at: EventBody, value: T): Stamped<T> {
  return !cur || compareTotalOrder(at, cur.at) >= 0 ? { at, value } : cur;
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class RecordsProjection implements Projection {
  readonly id = 'records';
  readonly version = 1;
  readonly kinds = [KINDS.recordCreate, KINDS.fieldSet, KINDS.noteAdd, KINDS.attachmentAdd];
  private readonly records = new Map<string, RecordState>();
  private readonly problems = new FindingCounter();

  private record(id: string): RecordState {
    let r = this.records.get(id);
    if (!r) {
      r = { form: null, createdBy: null, fields: new Map(), notes: [], attachments: [] };
      this.records.set(id, r);
    }
    return r;
  }

  apply(ev: FeedEvent): void {
    if (!this.kinds.includes(ev.kind as never)) return;
    const problem = validatePayload(ev.kind, ev.payload);
    const p = asMap(ev.payload);
    if (problem || !p) {
      this.problems.note('malformed_payload', `${ev.kind} events had payloads that could not be folded`);
      return;
    }
    const rec = this.record(p['record_id'] as string);
    switch (ev.kind) {
      case KINDS.recordCreate:
        // As meshlogd: the latest create (total order) that names a form/by decides it. A
        // Mandala-native create without `by` was created by its (signed) author.
        rec.form = later(rec.form, ev, p['form'] as string);
        if (typeof p['by'] === 'string') rec.createdBy = later(rec.createdBy, ev, p['by']);
        else if (isAuthorId(ev.author)) rec.createdBy = later(rec.createdBy, ev, ev.author);
        break;
      case KINDS.fieldSet: {
        const field = p['field'] as string;
        rec.fields.set(field, later(rec.fields.get(field), ev, p['value'] as Value));
        break;
      }
      case KINDS.noteAdd:
        rec.notes.push({ at: ev, value: p['text'] as string });
        break;
      case KINDS.attachmentAdd:
        rec.attachments.push({ at: ev, value: p });
        break;
    }
  }

  view(): Value {
    const out: Record<string, Value> = {};
    for (const id of [...this.records.keys()].sort(byKey)) {
      const r = this.records.get(id)!;
      const fields: Record<string, Value> = {};
      for (const f of [...r.fields.keys()].sort(byKey)) fields[f] = r.fields.get(f)!.value;
      const attachments = [...r.attachments]
        .sort((a, b) => compareTotalOrder(a.at, b.at))
        .sort((a, b) => byKey(String(a.value['field']), String(b.value['field'])) || byKey(String(a.value['blob_hash']), String(b.value['blob_hash'])))
        .map((a) => ({
          field: a.value['field'] as Value,
          blob_hash: a.value['blob_hash'] as Value,
          size: (a.value['size'] as Value | undefined) ?? 0,
          mime: (a.value['mime'] as Value | undefined) ?? '',
        }));
      out[id] = {
        record_id: id,
        form: r.form?.value ?? '',
        created_by: r.createdBy?.value ?? '',
        fields,
        attachments,
        notes: [...r.notes].sort((a, b) => compareTotalOrder(a.at, b.at)).map((n) => n.value),
      };
    }
    return out;
  }

  findings(): readonly Finding[] {
    return this.problems.list();
  }

  /** The record's form, or null while no record.create for it has been folded. */
  formOf(recordId: string): string | null {
    return this.records.get(recordId)?.form?.value ?? null;
  }

  /** Number of records, for summaries. */
  get size(): number {
    return this.records.size;
  }
}
