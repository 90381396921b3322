// "Export" in the trucks panel: the selected truck's track (or every truck's) over a window, as
// GPX, KML or CSV, made by the node like `mandala export` and saved on this machine. Flagged
// fixes are in the file, marked with their reason, so an auditor sees what the map left out.
import { useCallback, useRef, useState, type FormEvent } from 'react';
import type { ApiErrorDto, ExportFileDto, TrackExportFormatDto } from '../../../../shared/api';
import { Icon } from '../../components/Icon';
import { ErrorNotice } from '../../components/StatusMessage';
import { useDismiss } from '../../components/use-dismiss';
import { downloadText } from '../../lib/download';
import { describeError } from '../../lib/errors';
import { formatCount } from '../../lib/format';
import { useNodeNow, useSession } from '../../store/session-context';
import { useStore } from '../../store/external-store';
import { jobShare } from '../../components/JobsStat';

const HOUR = 3_600_000;
const WINDOWS = [
  { id: '6h', label: 'Last 6 hours', ms: 6 * HOUR },
  { id: '24h', label: 'Last 24 hours', ms: 24 * HOUR },
  { id: '7d', label: 'Last 7 days', ms: 7 * 24 * HOUR },
  { id: 'all', label: 'All history', ms: null },
] as const;

const FORMATS: readonly { readonly id: TrackExportFormatDto; readonly label: string; readonly hint: string }[] = [
  { id: 'gpx', label: 'GPX', hint: 'GPS tools, OsmAnd, QGIS' },
  { id: 'kml', label: 'KML', hint: 'Google Earth' },
  { id: 'csv', label: 'CSV', hint: 'spreadsheets' },
];

type Outcome = { readonly file: ExportFileDto } | { readonly error: ApiErrorDto };

export function ExportTracksMenu({ selectedTruck }: { selectedTruck: string | null }) {
  const session = useSession();
  // While the node writes the file: how far it got (its export job, in node.info).
  const exportJob = useStore(session.node.store).data?.info.jobs.find((j) => j.kind === 'export') ?? null;
  const now = useNodeNow(60_000);
  const [open, setOpen] = useState(false);
  const [scope, setScope] = useState<'selected' | 'all'>('selected');
  const [windowId, setWindowId] = useState<(typeof WINDOWS)[number]['id']>('24h');
  const [format, setFormat] = useState<TrackExportFormatDto>('gpx');
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, rootRef, close);
  const truck = scope === 'selected' ? selectedTruck : null;

  const share = pending && exportJob ? jobShare(exportJob) : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const span = WINDOWS.find((w) => w.id === windowId)!.ms;
    setPending(true);
    setOutcome(null);
    try {
      const file = await session.bridge.call('export.tracks', { format, ...(truck ? { trucks: [truck] } : {}), ...(span === null ? {} : { fromMs: now - span }) });
      downloadText(file.text, file.fileName, file.mime);
      setOutcome({ file });
    } catch (failure) {
      setOutcome({ error: describeError(failure) });
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="export-menu" ref={rootRef}>
      <button type="button" className="button button-small" aria-expanded={open} aria-label="Export tracks" onClick={() => setOpen((v) => !v)} data-testid="export-tracks-open" title="Export tracks as GPX, KML or CSV">
        <Icon name="download" size={14} />
      </button>
      {open ? (
        <form className="popover-panel export-panel" role="dialog" aria-label="Export tracks" onSubmit={(e) => void submit(e)} data-testid="export-tracks">
          <div className="export-panel-title">Export tracks</div>
          <fieldset className="export-choice">
            <legend>Trucks</legend>
            <label>
              <input type="radio" name="scope" checked={scope === 'selected' && selectedTruck !== null} disabled={selectedTruck === null} onChange={() => setScope('selected')} />
              {selectedTruck ? `Selected: ${selectedTruck}` : 'Selected truck (pick one in the list)'}
            </label>
            <label>
              <input type="radio" name="scope" checked={scope === 'all' || selectedTruck === null} onChange={() => setScope('all')} /> Every truck
            </label>
          </fieldset>
          <label className="field">
            <span className="field-label">Fixes taken</span>
            <select className="text-input select-input" value={windowId} onChange={(e) => setWindowId(e.target.value as typeof windowId)} name="window">
              {WINDOWS.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.label}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="export-choice export-formats">
            <legend>Format</legend>
            {FORMATS.map((f) => (
              <label key={f.id} title={f.hint}>
                <input type="radio" name="format" value={f.id} checked={format === f.id} onChange={() => setFormat(f.id)} /> {f.label} <span className="muted">{f.hint}</span>
              </label>
            ))}
          </fieldset>
          <p className="panel-note">Flagged fixes are included, marked with the filter&apos;s reason.</p>
          <button type="submit" className="button button-primary" disabled={pending} data-testid="export-tracks-save">
            {pending ? (share === null ? 'Exporting…' : `Exporting… ${Math.floor(share * 100)}%`) : 'Save file'}
          </button>
          {outcome && 'error' in outcome ? <ErrorNotice error={outcome.error} context="Not exported" compact /> : null}
          {outcome && 'file' in outcome ? (
            <div className="form-status form-status-ok" role="status" data-testid="export-tracks-status">
              Saved {outcome.file.fileName}: {formatCount(outcome.file.tracks)} {outcome.file.tracks === 1 ? 'track' : 'tracks'}, {formatCount(outcome.file.points)} fixes
              {outcome.file.flagged > 0 ? ` (${formatCount(outcome.file.flagged)} flagged)` : ''}
              {outcome.file.points === 0 ? '. No fixes in that window: choose a longer one.' : '.'}
            </div>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
