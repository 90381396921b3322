// Starts a new record: an id the camp chooses (e.g. a delivery or incident number) and its form.
import { useState, type FormEvent } from 'react';
import { Icon } from '../../components/Icon';
import { useSession } from '../../store/session-context';
import { AppendResultNotice } from './AppendResultNotice';
import { useAppendAction } from './use-append-action';

/** The node's limit for record ids and form names. */
const MAX_ID_LENGTH = 64;

export function CreateRecordForm({ knownForms, onCreated }: { knownForms: readonly string[]; onCreated: (recordId: string) => void }) {
  const { records } = useSession();
  const action = useAppendAction();
  const [recordId, setRecordId] = useState('');
  const [form, setForm] = useState('');
  const ready = recordId.trim() !== '' && form.trim() !== '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    const id = recordId.trim();
    const answer = await action.run(() => records.create({ recordId: id, form: form.trim() }));
    if (answer?.ok) {
      setRecordId('');
      onCreated(id);
    }
  };

  return (
    <form className="inline-form create-record-form" onSubmit={(e) => void submit(e)} data-testid="create-record-form">
      <div className="form-row">
        <span className="form-title">New record</span>
        <label className="field">
          <span className="field-label">Record id</span>
          <input className="text-input" value={recordId} maxLength={MAX_ID_LENGTH} onChange={(e) => setRecordId(e.target.value)} placeholder="e.g. delivery-0142" name="recordId" />
        </label>
        <label className="field">
          <span className="field-label">Form</span>
          <input className="text-input" value={form} maxLength={MAX_ID_LENGTH} onChange={(e) => setForm(e.target.value)} placeholder="e.g. delivery" list="known-forms" name="form" />
          <datalist id="known-forms">
            {knownForms.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
        </label>
        <button type="submit" className="button button-primary" disabled={!ready || action.pending}>
          <Icon name="plus" size={14} /> Create
        </button>
      </div>
      <AppendResultNotice result={action.result} pending={action.pending} success="Created" />
    </form>
  );
}
