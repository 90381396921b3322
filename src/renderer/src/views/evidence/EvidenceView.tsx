// Evidence: the signed reports this node holds (its own and replicated ones), how to make one,
// and what an auditor does with them: read one in human terms, verify it here, compare two,
// export one as a file, or verify a file from elsewhere.
import { useEffect, useState } from 'react';
import type { ReportCreatedDto, ReportSummaryDto } from '../../../../shared/api';
import { EmptyState, ErrorNotice, LoadingState } from '../../components/StatusMessage';
import { formatCount, plural } from '../../lib/format';
import { useStore } from '../../store/external-store';
import { useNodeNow, useSession } from '../../store/session-context';
import { useNodeQuery } from '../../store/use-node-query';
import { FileCheckView } from './FileCheckView';
import { MakeReportForm } from './MakeReportForm';
import { ReportCompare } from './ReportCompare';
import { refKey, ReportDetail } from './ReportDetail';
import { ReportList } from './ReportList';
import { VerifyFileButton, type FileCheck } from './VerifyFile';

type Panel = 'detail' | 'compare' | 'file';

const newestFirst = (a: ReportSummaryDto, b: ReportSummaryDto) => b.generatedAtMs - a.generatedAtMs || (refKey(a.ref) < refKey(b.ref) ? -1 : 1);

export function EvidenceView() {
  const session = useSession();
  const names = useStore(session.names.store).data;
  const now = useNodeNow(5000);
  const listed = useNodeQuery('reports', (s) => s.bridge.call('reports.list', {}), ['reports']);
  const reports = [...(listed.data ?? [])].sort(newestFirst);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [picked, setPicked] = useState<readonly string[]>([]);
  const [panel, setPanel] = useState<Panel>('detail');
  const [fileCheck, setFileCheck] = useState<FileCheck | null>(null);

  useEffect(() => {
    if (listed.data) session.names.ensureKnown(listed.data.flatMap((r) => [r.signer, r.ref.author]));
  }, [listed.data, session]);

  const byKey = (key: string | null) => reports.find((r) => refKey(r.ref) === key) ?? null;
  const selected = byKey(selectedKey);
  const pair = picked.map(byKey).filter((r): r is ReportSummaryDto => r !== null);

  const open = (key: string) => {
    setSelectedKey(key);
    setPanel('detail');
  };
  const togglePick = (key: string) =>
    // Picking a third drops the earliest pick, so the last two picked are compared.
    setPicked((p) => (p.includes(key) ? p.filter((k) => k !== key) : [...p, key].slice(-2)));
  const onMade = (made: ReportCreatedDto) => {
    if (!made.stored) return;
    listed.refresh();
    open(refKey(made.summary.ref));
  };

  return (
    <div className="page evidence-page">
      <header className="page-header">
        <div>
          <h1>Evidence</h1>
          <p className="page-subtitle">
            {listed.data === null ? 'Loading…' : `${plural(reports.length, 'report')} · ${formatCount(reports.filter((r) => r.local).length)} made here`}
          </p>
        </div>
        <div className="evidence-actions">
          <MakeReportForm onMade={onMade} />
          <VerifyFileButton
            onCheck={(check) => {
              setFileCheck(check);
              setPanel('file');
            }}
          />
        </div>
      </header>
      {listed.error ? <ErrorNotice error={listed.error} context={listed.data ? 'Refresh failed; showing the last list' : 'Could not list reports'} /> : null}
      <div className="evidence-layout">
        <section className="panel" aria-label="Reports">
          <header className="panel-header">
            <h2>
              Reports <span className="panel-count">{formatCount(reports.length)}</span>
            </h2>
            <button type="button" className="button button-small" disabled={pair.length !== 2} onClick={() => setPanel('compare')} data-testid="compare-reports">
              Compare {pair.length === 2 ? 'the two picked' : `(pick ${2 - pair.length} more)`}
            </button>
          </header>
          <div className="panel-body">
            {listed.data === null ? (
              listed.error ? null : <LoadingState label="Loading reports…" />
            ) : reports.length === 0 ? (
              <EmptyState title="No reports yet">Make one above. Reports made on other nodes appear here once they sync.</EmptyState>
            ) : (
              <ReportList reports={reports} selectedKey={panel === 'detail' ? selectedKey : null} picked={picked} names={names} nowMs={now} onOpen={open} onTogglePick={togglePick} />
            )}
          </div>
        </section>
        <section className="panel report-panel" aria-label="Report">
          {panel === 'file' && fileCheck ? (
            <FileCheckView check={fileCheck} names={names} nowMs={now} />
          ) : panel === 'compare' && pair.length === 2 ? (
            <ReportCompare key={pair.map((r) => refKey(r.ref)).join('|')} pair={[pair[0]!, pair[1]!]} names={names} nowMs={now} />
          ) : selected ? (
            <ReportDetail key={refKey(selected.ref)} summary={selected} names={names} nowMs={now} />
          ) : (
            <EmptyState title="No report selected">
              Pick a report to read it, verify it against this node&apos;s events, or export it. Tick two to compare them.
            </EmptyState>
          )}
        </section>
      </div>
    </div>
  );
}
