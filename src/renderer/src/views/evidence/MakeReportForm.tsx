// Asks the node for a new evidence report: which projection, and how fresh it must be. Consistent
// computes over everything held; Maybe stale accepts a cached result up to a maximum age (and says
// so in the report). The node signs it and stores it as an event, so it replicates.
import { useState, type FormEvent } from 'react';
import type { ApiErrorDto, ReportCreatedDto } from '../../../../shared/api';
import { ErrorNotice } from '../../components/StatusMessage';
import { downloadReport } from './export-report';
import { describeError } from '../../lib/errors';
import { useSession } from '../../store/session-context';

const PROJECTIONS = ['records', 'fleet', 'conflicts', 'alerts'] as const;
const DEFAULT_MAX_AGE_MIN = '10';

type Outcome = { readonly made: ReportCreatedDto } | { readonly error: ApiErrorDto };

export function MakeReportForm({ onMade }: { onMade: (made: ReportCreatedDto) => void }) {
  const session = useSession();
  const [projection, setProjection] = useState<string>('records');
  const [freshness, setFreshness] = useState<'consistent' | 'maybe_stale'>('consistent');
  const [maxAgeMin, setMaxAgeMin] = useState(DEFAULT_MAX_AGE_MIN);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const maxAgeMs = Math.round(Number(maxAgeMin) * 60_000);
  const ready = freshness === 'consistent' || (Number.isFinite(maxAgeMs) && maxAgeMs >= 0 && maxAgeMin.trim() !== '');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready || pending) return;
    setPending(true);
    setOutcome(null);
    try {
      const made = await session.bridge.call('reports.create', freshness === 'consistent' ? { projection } : { projection, maxStaleMs: maxAgeMs });
      setOutcome({ made });
      onMade(made);
    } catch (failure) {
      setOutcome({ error: describeError(failure) });
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="inline-form make-report-form" onSubmit={(e) => void submit(e)} data-testid="make-report-form">
      <div className="form-row">
        <span className="form-title">Make report</span>
        <label className="field">
          <span className="field-label">Projection</span>
          <select className="text-input select-input" value={projection} onChange={(e) => setProjection(e.target.value)} name="projection">
            {PROJECTIONS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Freshness</span>
          <select className="text-input select-input" value={freshness} onChange={(e) => setFreshness(e.target.value as 'consistent' | 'maybe_stale')} name="freshness">
            <option value="consistent">Consistent</option>
            <option value="maybe_stale">Maybe stale</option>
          </select>
        </label>
        {freshness === 'maybe_stale' ? (
          <label className="field field-narrow">
            <span className="field-label">Max age (min)</span>
            <input className="text-input" type="number" min={0} step="any" value={maxAgeMin} onChange={(e) => setMaxAgeMin(e.target.value)} name="maxAge" />
          </label>
        ) : null}
        <button type="submit" className="button button-primary" disabled={!ready || pending} data-testid="make-report">
          {pending ? 'Making…' : 'Make report'}
        </button>
      </div>
      {outcome && 'error' in outcome ? <ErrorNotice error={outcome.error} context="Refused" compact /> : null}
      {outcome && 'made' in outcome ? (
        <div className={outcome.made.stored ? 'form-status form-status-ok' : 'form-status tone-warn'} role="status" data-testid="make-report-status">
          {outcome.made.message}
          {outcome.made.stored ? null : (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => downloadReport(outcome.made.report, outcome.made.summary.projection, outcome.made.summary.bodyHash)}>
                Export it anyway
              </button>
            </>
          )}
        </div>
      ) : null}
    </form>
  );
}
