// Saves what is replayed (these trucks, this window) as GPX, KML or CSV: the same file
// `mandala export` writes, every fix of the window, flagged ones marked.
import { useState } from 'react';
import type { ApiErrorDto, TrackExportFormatDto } from '../../../../shared/api';
import { downloadText } from '../../lib/download';
import { describeError } from '../../lib/errors';
import { plural } from '../../lib/format';
import { useSession } from '../../store/session-context';

export function ReplayExport({ trucks, fromMs, toMs }: { trucks: readonly string[]; fromMs: number; toMs: number }) {
  const session = useSession();
  const [format, setFormat] = useState<TrackExportFormatDto>('gpx');
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<{ text: string } | { error: ApiErrorDto } | null>(null);
  const save = async () => {
    setPending(true);
    setOutcome(null);
    try {
      const file = await session.bridge.call('export.tracks', { format, trucks, fromMs, toMs });
      downloadText(file.text, file.fileName, file.mime);
      setOutcome({ text: `Saved ${file.fileName}: ${plural(file.tracks, 'track')}, ${plural(file.points, 'fix', 'fixes')}` });
    } catch (e) {
      setOutcome({ error: describeError(e) });
    } finally {
      setPending(false);
    }
  };
  return (
    <div className="replay-export">
      <select name="export-format" value={format} onChange={(e) => setFormat(e.target.value as TrackExportFormatDto)} aria-label="Export format">
        <option value="gpx">GPX</option>
        <option value="kml">KML</option>
        <option value="csv">CSV</option>
      </select>
      <button type="button" className="button button-small" disabled={pending} onClick={() => void save()} data-testid="replay-export">
        {pending ? 'Exporting…' : 'Export'}
      </button>
      {outcome ? (
        <span className={'error' in outcome ? 'replay-export-status is-error' : 'replay-export-status muted'} data-testid="replay-export-status">
          {'error' in outcome ? outcome.error.message : outcome.text}
        </span>
      ) : null}
    </div>
  );
}
