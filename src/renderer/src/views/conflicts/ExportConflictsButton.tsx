// Saves the whole conflict timeline as CSV (what `mandala export conflicts` writes), for an
// auditor's spreadsheet: every entry, whatever the filters show.
import { useState } from 'react';
import type { ApiErrorDto } from '../../../../shared/api';
import { Icon } from '../../components/Icon';
import { ErrorNotice } from '../../components/StatusMessage';
import { downloadText } from '../../lib/download';
import { describeError } from '../../lib/errors';
import { useSession } from '../../store/session-context';

export function ExportConflictsButton() {
  const session = useSession();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiErrorDto | null>(null);
  const save = async () => {
    setPending(true);
    setError(null);
    try {
      const file = await session.bridge.call('export.conflicts', {});
      downloadText(file.text, file.fileName, file.mime);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending(false);
    }
  };
  return (
    <div className="export-conflicts">
      <button type="button" className="button button-small" disabled={pending} onClick={() => void save()} data-testid="export-conflicts" title="Every entry of the timeline as CSV, whatever the filters show">
        <Icon name="download" size={14} /> {pending ? 'Exporting…' : 'Export CSV'}
      </button>
      {error ? <ErrorNotice error={error} context="Not exported" compact /> : null}
    </div>
  );
}
