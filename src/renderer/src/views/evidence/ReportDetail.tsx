// One report: who signed it and when, its body in human terms, and what an auditor does with it:
// verify it against this node's events, or export it as a file to check elsewhere.
import { useEffect, useState } from 'react';
import type { ApiErrorDto, ReportSummaryDto, VerifyResultDto } from '../../../../shared/api';
import { Icon } from '../../components/Icon';
import { ErrorNotice, LoadingState } from '../../components/StatusMessage';
import { describeError } from '../../lib/errors';
import { formatClockTime } from '../../lib/format';
import { authorLabel, type AuthorNames } from '../../store/names-store';
import { useSession } from '../../store/session-context';
import { useNodeQuery } from '../../store/use-node-query';
import { downloadReport } from './export-report';
import { readReport } from './report-json';
import { ReportBodyView } from './ReportBodyView';
import { VerifyResult } from './VerifyResult';

type Verification = { readonly pending: true } | { readonly pending: false; readonly result: VerifyResultDto | null; readonly error: ApiErrorDto | null };

export function refKey(ref: { readonly author: string; readonly seq: number }): string {
  return `${ref.author}#${ref.seq}`;
}

/** How a report is named everywhere, console and CLI alike: its report feed's first 8 hex digits and its seq. */
export function shortRef(ref: { readonly author: string; readonly seq: number }): string {
  return `${ref.author.slice(0, 8)}#${ref.seq}`;
}

export function SignerLabel({ summary, names }: { summary: ReportSummaryDto; names: AuthorNames | null }) {
  return (
    <span className="signer">
      <span className="signer-name">{authorLabel(names, summary.signer)}</span>
      {summary.local ? (
        <span className="badge badge-local" data-testid="report-local" title="Made and signed by the node this console talks to">
          this node
        </span>
      ) : (
        <span className="badge" title="Made by another node and replicated here as an event">
          replicated
        </span>
      )}
    </span>
  );
}

export function ReportDetail({ summary, names, nowMs }: { summary: ReportSummaryDto; names: AuthorNames | null; nowMs: number }) {
  const session = useSession();
  const key = refKey(summary.ref);
  const detail = useNodeQuery(key, (s) => s.bridge.call('reports.get', summary.ref));
  const [verification, setVerification] = useState<Verification | null>(null);
  const exported = detail.dataKey === key ? detail.data : null;
  const report = exported ? readReport(exported.report) : null;
  const frontierAuthors = report?.frontier.map((e) => e.author).join(',') ?? '';
  useEffect(() => {
    if (frontierAuthors) session.names.ensureKnown(frontierAuthors.split(','));
  }, [frontierAuthors, session]);

  const verify = async () => {
    setVerification({ pending: true });
    try {
      const result = await session.bridge.call('reports.verify', summary.ref);
      setVerification({ pending: false, result, error: null });
    } catch (failure) {
      setVerification({ pending: false, result: null, error: describeError(failure) });
    }
  };

  return (
    <article className="report-detail" data-testid="report-detail" data-report={key} data-body-hash={summary.bodyHash}>
      <header className="report-detail-header">
        <div>
          <h2 className="report-title">
            {summary.projection} report <code className="muted" data-testid="report-ref">{shortRef(summary.ref)}</code>
          </h2>
          <div className="report-meta">
            signed by <SignerLabel summary={summary} names={names} /> · made {formatClockTime(summary.generatedAtMs, nowMs)} · body hash{' '}
            <code title={summary.bodyHash}>{summary.bodyHash.slice(0, 8)}…</code>
          </div>
        </div>
        <div className="report-actions">
          <button type="button" className="button button-primary" onClick={() => void verify()} disabled={verification?.pending === true} data-testid="verify-report">
            <Icon name="check" size={14} /> {verification?.pending ? 'Verifying…' : 'Verify'}
          </button>
          <button
            type="button"
            className="button"
            disabled={!exported}
            onClick={() => exported && downloadReport(exported.report, summary.projection, summary.bodyHash)}
            data-testid="export-report"
            title="Save the report as a JSON file anyone can verify"
          >
            <Icon name="download" size={14} /> Export JSON
          </button>
        </div>
      </header>
      {verification && !verification.pending ? (
        verification.result ? (
          <VerifyResult result={verification.result} names={names} />
        ) : verification.error ? (
          <ErrorNotice error={verification.error} context="Could not verify" compact />
        ) : null
      ) : null}
      {detail.error ? <ErrorNotice error={detail.error} context="Could not read the report" compact /> : null}
      {report ? <ReportBodyView report={report} names={names} nowMs={nowMs} /> : detail.error ? null : <LoadingState label="Reading the report…" />}
    </article>
  );
}
