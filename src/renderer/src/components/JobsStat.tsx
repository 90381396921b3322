// The header's long jobs: what the node is busy with (an export, a fold of every event again, a
// Consistent report), how far it got when that is known, and for how long. Shown only while one
// runs; the others are counted in its tooltip.
import type { JobDto } from '../../../shared/api';
import { formatCount, formatDuration } from '../lib/format';
import { useNodeNow } from '../store/session-context';

/** A job's share done (0..1), or null while that is not known. */
export function jobShare(job: JobDto): number | null {
  return job.total && job.done !== null ? Math.min(1, job.done / job.total) : null;
}

export function JobsStat({ jobs }: { jobs: readonly JobDto[] }) {
  const now = useNodeNow(1000);
  const job = jobs[0];
  if (!job) return null;
  const share = jobShare(job);
  const pct = share === null ? null : Math.floor(share * 100);
  const title = jobs.map((j) => `${j.label}${j.total ? `: ${formatCount(j.done)} of ${formatCount(j.total)}` : ''} (for ${formatDuration(now - j.startedAtMs)})`).join('\n');
  return (
    <div className="header-stat header-catch-up header-job" data-testid="job-stat" data-kind={job.kind} data-pct={pct ?? ''} title={title}>
      <span className="header-stat-value">{pct === null ? formatDuration(now - job.startedAtMs) : `${pct}%`}</span>
      <span className="header-stat-label">
        {job.label}
        {jobs.length > 1 ? ` (+${jobs.length - 1})` : ''}
      </span>
      <span className={pct === null ? 'progress-bar is-indeterminate' : 'progress-bar'} role="progressbar" aria-label={job.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined}>
        <span className="progress-fill" style={{ width: `${pct === null ? 30 : Math.max(4, pct)}%` }} />
      </span>
    </div>
  );
}
