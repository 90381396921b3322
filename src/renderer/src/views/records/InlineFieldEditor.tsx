// A field's value edited where it is shown: Enter stores it (typed like the CLI: true/false and
// numbers are stored as such), Escape puts the old value back.
import { useState } from 'react';
import { useSession } from '../../store/session-context';
import { AppendResultNotice } from './AppendResultNotice';
import { useAppendAction } from './use-append-action';

export function InlineFieldEditor({ recordId, field, initial, onDone }: { recordId: string; field: string; initial: string; onDone: (refocusRow: boolean) => void }) {
  const { records } = useSession();
  const action = useAppendAction();
  const [text, setText] = useState(initial);

  const save = async () => {
    if (text === initial) return onDone(true);
    const answer = await action.run(() => records.setField({ recordId, field, text }));
    if (answer?.ok) onDone(true);
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
            onDone(true);
          }
        }}
        // Clicked elsewhere: close, and leave the focus where the user put it.
        onBlur={() => !action.pending && onDone(false)}
      />
      <span className="muted inline-field-hint">Enter saves · Esc cancels</span>
      <AppendResultNotice result={action.result} pending={action.pending} success="Field set" />
    </span>
  );
}
