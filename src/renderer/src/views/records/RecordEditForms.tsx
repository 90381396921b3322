// The two edits a coordinator makes to a record: set a field (typed like the CLI: true/false and
// numbers are stored as such) and add a note.
import { useState, type FormEvent } from 'react';
import { useSession } from '../../store/session-context';
import { AppendResultNotice } from './AppendResultNotice';
import { useAppendAction } from './use-append-action';

export function SetFieldForm({ recordId, fieldNames }: { recordId: string; fieldNames: readonly string[] }) {
  const { records } = useSession();
  const action = useAppendAction();
  const [field, setField] = useState('');
  const [value, setValue] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!field.trim()) return;
    const answer = await action.run(() => records.setField({ recordId, field: field.trim(), text: value }));
    if (answer?.ok) setValue('');
  };

  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} data-testid="set-field-form">
      <div className="form-row">
        <label className="field">
          <span className="field-label">Field</span>
          <input className="text-input" value={field} maxLength={64} onChange={(e) => setField(e.target.value)} list="record-field-names" placeholder="e.g. status" name="field" />
          <datalist id="record-field-names">
            {fieldNames.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
        </label>
        <label className="field field-grow">
          <span className="field-label">
            Value <span className="value-type">true/false and numbers are stored as such</span>
          </span>
          <input className="text-input" value={value} onChange={(e) => setValue(e.target.value)} placeholder="text, number, true or false" name="value" />
        </label>
        <button type="submit" className="button" disabled={!field.trim() || action.pending}>
          Set field
        </button>
      </div>
      <AppendResultNotice result={action.result} pending={action.pending} success="Field set" />
    </form>
  );
}

export function AddNoteForm({ recordId }: { recordId: string }) {
  const { records } = useSession();
  const action = useAppendAction();
  const [text, setText] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    const answer = await action.run(() => records.addNote({ recordId, text }));
    if (answer?.ok) setText('');
  };

  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} data-testid="add-note-form">
      <label className="field">
        <span className="field-label">New note</span>
        <textarea
          className="text-input note-input"
          rows={3}
          value={text}
          maxLength={4000}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            // Ctrl+Enter (⌘+Enter on a Mac) adds the note without reaching for the mouse.
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit(e);
            }
          }}
          placeholder="What happened, who, when… (Ctrl+Enter adds)"
          name="note"
        />
      </label>
      <div className="form-actions">
        <AppendResultNotice result={action.result} pending={action.pending} success="Note added" />
        <button type="submit" className="button" disabled={!text.trim() || action.pending}>
          Add note
        </button>
      </div>
    </form>
  );
}
