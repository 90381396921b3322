// A field's value edited where it is shown: Enter stores it (typed like the CLI: true/false and
// numbers are stored as such), Escape puts the old value back.
import { useState } from 'react';
import { useSession } from '../../store/session-context';
import { AppendResultNotice } from './AppendResultNotice';
import { useAppendAction } from './use-append-action';

export function InlineFieldEditor({ recordId, field, initial, onDone }: { recordId: string; field: string; initial: string; onDone: () => void }) {
  const { records } = useSession();
  const action = useAppendAction();
  const [text, setText] = useState(initial);

  const save = async () => {
    if (text === initial) return onDone();
    const answer = await action.run(() => records.setField({ recordId, field, text }));
    if (answer?.ok) onDone();
  };

  return (
    <span className="inline-field-editor">
      <input
        className="text-input"
        autoFocus
        value={text}
        aria-label={`New value of ${field}`}
        data-testid="inline-field-input"
        onChange={(e) => setText(e.target.value)}
        onFocus={(e) => e.target.select()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void save();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            onDone();
          }
        }}
        onBlur={() => !action.pending && onDone()}
      />
      <span className="muted inline-field-hint">Enter saves · Esc cancels</span>
      <AppendResultNotice result={action.result} pending={action.pending} success="Field set" />
    </span>
  );
}
