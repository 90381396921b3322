// Two reports side by side: how far each one's input reached per author, and whether the output,
// the input digest, freshness and cache agree. The earlier report is A, the later B, so
// "advanced" reads forward in time.
import type { ReportSummaryDto } from '../../../../shared/api';
import { ErrorNotice, LoadingState } from '../../components/StatusMessage';
import { AuthorName } from '../../components/AuthorName';
import { formatClockTime, formatCount } from '../../lib/format';
import { authorLabel, type AuthorNames } from '../../store/names-store';
import { useNodeQuery } from '../../store/use-node-query';
import { compareReports, type FrontierChange, type FrontierRow } from './compare-reports';
import { refKey } from './ReportDetail';
import { readReport } from './report-json';
import { Hash } from './ReportBodyView';

const CHANGE: Readonly<Record<FrontierChange, { label: string; tone: string }>> = {
  same: { label: 'same', tone: '' },
  advanced: { label: 'advanced', tone: 'badge-ok' },
  went_back: { label: 'went back', tone: 'badge-warn' },
  added: { label: 'added', tone: 'badge-ok' },
  removed: { label: 'removed', tone: 'badge-warn' },
  head_differs: { label: 'history differs', tone: 'badge-bad' },
};

function useReport(summary: ReportSummaryDto) {
  const key = refKey(summary.ref);
  const q = useNodeQuery(key, (s) => s.bridge.call('reports.get', summary.ref));
  return { view: q.dataKey === key && q.data ? readReport(q.data.report) : null, error: q.error };
}

function Delta({ row }: { row: FrontierRow }) {
  if (row.change === 'advanced' && row.a && row.b) return <span className="muted"> +{formatCount(row.b.seq - row.a.seq)}</span>;
  return null;
}

export function ReportCompare({ pair, names, nowMs }: { pair: readonly [ReportSummaryDto, ReportSummaryDto]; names: AuthorNames | null; nowMs: number }) {
  const [first, second] = [...pair].sort((x, y) => x.generatedAtMs - y.generatedAtMs) as [ReportSummaryDto, ReportSummaryDto];
  const a = useReport(first);
  const b = useReport(second);
  const error = a.error ?? b.error;
  if (error) return <ErrorNotice error={error} context="Could not read both reports" />;
  if (!a.view || !b.view) return <LoadingState label="Reading both reports…" />;
  const diff = compareReports(a.view, b.view, (ms) => formatClockTime(ms, nowMs));
  const heading = (label: string, s: ReportSummaryDto) => (
    <th scope="col">
      {label}: {s.projection} <code className="muted">{s.bodyHash.slice(0, 8)}</code>
      <div className="compare-sub">
        {authorLabel(names, s.signer)} · {formatClockTime(s.generatedAtMs, nowMs)}
      </div>
    </th>
  );

  return (
    <article className="report-compare" data-testid="report-compare" data-same-output={diff.sameOutput} data-same-input={diff.sameInput}>
      <header className="report-detail-header">
        <div>
          <h2 className="report-title">Comparing two reports</h2>
          <div className="report-meta">
            <span className={diff.sameInput ? 'badge badge-ok' : 'badge badge-warn'}>{diff.sameInput ? 'same input' : 'different input'}</span>{' '}
            <span className={diff.sameOutput ? 'badge badge-ok' : 'badge badge-warn'} data-testid="compare-output">
              {diff.sameOutput ? 'same output' : 'different output'}
            </span>
          </div>
        </div>
      </header>
      <section className="report-section">
        <h3>What each report claims</h3>
        <table className="data-table compact-table compare-table compare-facts">
          <thead>
            <tr>
              <th scope="col" />
              {heading('A (earlier)', first)}
              {heading('B (later)', second)}
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {diff.facts.map((f) => (
              <tr key={f.label} className={f.same ? 'compare-same' : 'compare-differs'} data-testid="compare-fact" data-fact={f.label} data-same={f.same}>
                <th scope="row">{f.label}</th>
                <td>{f.hash ? <Hash value={f.a} /> : f.a}</td>
                <td>{f.hash ? <Hash value={f.b} /> : f.b}</td>
                <td className="compare-verdict">{f.same ? <span className="muted">same</span> : <span className="badge badge-warn">differs</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="report-section">
        <h3>
          Input frontier by author <span className="panel-count">{formatCount(diff.frontier.length)}</span>
        </h3>
        <table className="data-table compact-table compare-table">
          <thead>
            <tr>
              <th scope="col">Author</th>
              <th scope="col" className="num">
                A up to seq
              </th>
              <th scope="col" className="num">
                B up to seq
              </th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {diff.frontier.map((row) => (
              <tr key={row.author} data-testid="compare-author" data-author={row.author} data-change={row.change}>
                <td>
                  <AuthorName names={names} author={row.author} />
                </td>
                <td className="num">{row.a ? formatCount(row.a.seq) : '—'}</td>
                <td className="num">{row.b ? formatCount(row.b.seq) : '—'}</td>
                <td>
                  <span className={`badge ${CHANGE[row.change].tone}`}>{CHANGE[row.change].label}</span>
                  <Delta row={row} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}
