// The reports this node holds, newest first: its own and those replicated from other nodes. A
// row opens the report; the boxes pick two to compare.
import type { ReportSummaryDto } from '../../../../shared/api';
import { selectableRowProps } from '../../components/selectable-row';
import { formatClockTime, plural } from '../../lib/format';
import type { AuthorNames } from '../../store/names-store';
import { refKey, shortRef, SignerLabel } from './ReportDetail';
import { cacheWords, kindFromSummary, observedWords } from './report-words';

export interface ReportListProps {
  readonly reports: readonly ReportSummaryDto[];
  readonly selectedKey: string | null;
  readonly picked: readonly string[];
  readonly names: AuthorNames | null;
  readonly nowMs: number;
  readonly onOpen: (key: string) => void;
  readonly onTogglePick: (key: string) => void;
}

export function ReportList({ reports, selectedKey, picked, names, nowMs, onOpen, onTogglePick }: ReportListProps) {
  return (
    <table className="data-table report-table">
      <thead>
        <tr>
          <th scope="col" className="col-pick" title="Pick two to compare">
            Cmp
          </th>
          <th scope="col">Report</th>
          <th scope="col">Signer</th>
          <th scope="col">Freshness</th>
        </tr>
      </thead>
      <tbody>
        {reports.map((r) => {
          const key = refKey(r.ref);
          const selected = key === selectedKey;
          const observed = observedWords(kindFromSummary(r.observed));
          const cache = cacheWords(kindFromSummary(r.cache));
          return (
            <tr
              key={key}
              className={selected ? 'report-row is-selected' : 'report-row'}
              data-testid="report-row"
              data-report={key}
              data-local={r.local}
              data-projection={r.projection}
              data-body-hash={r.bodyHash}
              {...selectableRowProps(() => onOpen(key), selected)}
            >
              <td className="col-pick" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
                <input type="checkbox" checked={picked.includes(key)} onChange={() => onTogglePick(key)} aria-label={`Pick ${r.projection} report ${shortRef(r.ref)} to compare`} data-testid="report-pick" />
              </td>
              <td>
                <div className="cell-line">
                  <span className="report-projection">{r.projection}</span>{' '}
                  <code className="muted" title={`body hash ${r.bodyHash}`}>
                    {shortRef(r.ref)}
                  </code>
                  {r.findings > 0 ? <span className="badge badge-warn finding-count">{plural(r.findings, 'finding')}</span> : null}
                </div>
                <div className="sub-text">
                  made {formatClockTime(r.generatedAtMs, nowMs)} · {plural(r.feeds, 'feed')}
                </div>
              </td>
              <td>
                <SignerLabel summary={r} names={names} />
              </td>
              <td>
                <div className="cell-line">
                  <span className={`badge badge-${observed.tone === 'plain' ? 'plain' : observed.tone}`} title={observed.long}>
                    {observed.short}
                  </span>
                </div>
                <div className="sub-text" title={cache.long}>
                  cache {cache.short.toLowerCase()}
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
