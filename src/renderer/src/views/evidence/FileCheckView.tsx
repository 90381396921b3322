// The outcome of "Verify a file": the verdict first, then what the file claims to be (its body
// as the signer wrote it, or as someone changed it: the verdict says which).
import { ErrorNotice, LoadingState } from '../../components/StatusMessage';
import { authorLabel, type AuthorNames } from '../../store/names-store';
import { ReportBodyView } from './ReportBodyView';
import { VerifyResult } from './VerifyResult';
import type { FileCheck } from './VerifyFile';

export function FileCheckView({ check, names, nowMs }: { check: FileCheck; names: AuthorNames | null; nowMs: number }) {
  return (
    <article className="report-detail" data-testid="file-check" data-file={check.fileName}>
      <header className="report-detail-header">
        <div>
          <h2 className="report-title">
            File <code>{check.fileName}</code>
          </h2>
          <div className="report-meta">
            {check.report ? (
              <>
                claims to be a {check.report.projection} report signed by {authorLabel(names, check.report.signer)}, body hash <code>{check.report.bodyHash.slice(0, 8)}</code>
              </>
            ) : (
              'does not read as an evidence report'
            )}
          </div>
        </div>
      </header>
      {check.pending ? <LoadingState label="Verifying against this node's events…" /> : null}
      {check.error ? <ErrorNotice error={check.error} context="Could not verify" compact /> : null}
      {check.result ? <VerifyResult result={check.result} names={names} /> : null}
      {check.report ? (
        <>
          <p className="section-explain">What the file says (not to be trusted unless the verdict above is valid):</p>
          <ReportBodyView report={check.report} names={names} nowMs={nowMs} />
        </>
      ) : null}
    </article>
  );
}
