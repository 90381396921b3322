// One record: its fields and notes as the node has merged them, and the forms to change it.
import { Fragment, useState } from 'react';
import type { RecordDto } from '../../../../shared/api';
import { describeValueType, formatFieldValue } from '../../lib/field-value';
import { formatClockTime, formatCount, plural, shortId } from '../../lib/format';
import { authorLabel, type AuthorNames } from '../../store/names-store';
import { useNodeNow } from '../../store/session-context';
import { ConflictBadge, FieldConflict } from './FieldConflict';
import { InlineFieldEditor } from './InlineFieldEditor';
import { AddNoteForm, SetFieldForm } from './RecordEditForms';
import { RecordAttachments } from './RecordAttachments';

/** Edits can reach a node before the record's creation does; until then it has no form or author. */
export function FormBadge({ form }: { form: string }) {
  if (!form) {
    return (
      <span className="badge" title="Edits to this record arrived before its creation event; the form appears once that event syncs">
        not created yet
      </span>
    );
  }
  return <span className="badge badge-form">{form}</span>;
}

export function RecordDetail({ record, names }: { record: RecordDto; names: AuthorNames | null }) {
  const now = useNodeNow(5000);
  const conflicts = record.fields.filter((f) => f.conflict !== null).length;
  // The field whose value is being edited in place (Enter, F2 or a double click on its row).
  const [editing, setEditing] = useState<string | null>(null);
  const stopEditing = (field: string, refocusRow: boolean) => {
    setEditing(null);
    // After Enter or Esc, back to the row, so the next key (↓, Enter) goes on from there.
    if (refocusRow) requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="field-row"][data-field="${CSS.escape(field)}"]`)?.focus());
  };
  return (
    <article className="record-detail" data-testid="record-detail" data-record={record.recordId}>
      <header className="record-detail-header">
        <h2 className="record-title">{record.recordId}</h2>
        <div className="record-meta">
          {record.form ? <FormBadge form={record.form} /> : null}
          {record.createdBy ? (
            <span>
              created by <strong>{authorLabel(names, record.createdBy)}</strong> <code className="muted">{shortId(record.createdBy)}</code>
            </span>
          ) : (
            <span className="tone-warn">Edits arrived before this record's creation event; its form and author appear once that event syncs.</span>
          )}
          {record.attachments.length > 0 ? <span>{plural(record.attachments.length, 'attachment')}</span> : null}
        </div>
      </header>

      <section className="record-section">
        <h3>
          Fields <span className="panel-count">{formatCount(record.fields.length)}</span>
          {conflicts > 0 ? <ConflictBadge count={conflicts} /> : null}
        </h3>
        {record.fields.length === 0 ? (
          <p className="inline-empty">No fields set yet.</p>
        ) : (
          <table className="data-table fields-table">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Value</th>
                <th scope="col">Type</th>
              </tr>
            </thead>
            <tbody>
              {record.fields.map((f) => (
                <Fragment key={f.name}>
                  <tr
                    data-testid="field-row"
                    data-field={f.name}
                    className={f.conflict ? 'field-row has-conflict' : 'field-row'}
                    tabIndex={0}
                    title="Enter or double-click to edit the value; ↑ ↓ move between fields"
                    onDoubleClick={() => setEditing(f.name)}
                    onKeyDown={(e) => {
                      if (e.target !== e.currentTarget) return;
                      if (e.key === 'Enter' || e.key === 'F2') {
                        e.preventDefault();
                        setEditing(f.name);
                      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                        e.preventDefault();
                        e.stopPropagation();
                        const rows = [...(e.currentTarget.parentElement?.querySelectorAll<HTMLElement>('[data-testid="field-row"]') ?? [])];
                        rows[rows.indexOf(e.currentTarget) + (e.key === 'ArrowDown' ? 1 : -1)]?.focus();
                      }
                    }}
                  >
                    <td className="field-name">{f.name}</td>
                    <td className="field-value">
                      {editing === f.name ? (
                        <InlineFieldEditor recordId={record.recordId} field={f.name} initial={formatFieldValue(f.value)} onDone={(refocus) => stopEditing(f.name, refocus)} />
                      ) : (
                        <>
                          <span data-testid="field-value">{formatFieldValue(f.value)}</span>
                          {f.conflict ? <ConflictBadge count={1} /> : null}
                        </>
                      )}
                    </td>
                    <td className="muted">{describeValueType(f.value)}</td>
                  </tr>
                  {f.conflict ? (
                    <tr className="field-conflict-row">
                      <td colSpan={3}>
                        <FieldConflict recordId={record.recordId} field={f} names={names} nowMs={now} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
        <SetFieldForm recordId={record.recordId} fieldNames={record.fields.map((f) => f.name)} />
      </section>

      <section className="record-section">
        <h3>
          Notes <span className="panel-count">{formatCount(record.notes.length)}</span>
        </h3>
        {record.notes.length === 0 ? (
          <p className="inline-empty">No notes yet.</p>
        ) : (
          <ol className="notes-list">
            {(record.noteDetails.length === record.notes.length ? record.noteDetails : record.notes.map((text) => ({ text, author: '', seq: 0, atMs: 0 }))).map((note, i) => (
              <li key={i} className="note" data-testid="note">
                <span className="note-text">{note.text}</span>
                {note.author ? (
                  <span className="note-meta muted" data-testid="note-meta">
                    {authorLabel(names, note.author)} · {formatClockTime(note.atMs, now)}
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        <AddNoteForm recordId={record.recordId} />
      </section>

      <RecordAttachments recordId={record.recordId} attachments={record.attachments} />
    </article>
  );
}
