// What the node said about a write: the event it appended, or why it refused (code + message).
import type { AppendResultDto } from '../../../../shared/api';
import { ErrorNotice } from '../../components/StatusMessage';
import { shortId } from '../../lib/format';

export function AppendResultNotice({ result, pending, success }: { result: AppendResultDto | null; pending: boolean; success: string }) {
  if (pending) return <div className="form-status muted">Sending… (waits for the node if the link is down)</div>;
  if (!result) return null;
  if (!result.ok) return <ErrorNotice error={result} context="Refused" compact />;
  return (
    <div className="form-status form-status-ok" role="status" data-testid="append-ok">
      {success} <span className="muted">as event</span> <code>{`${shortId(result.author)}#${result.seq}`}</code>
    </div>
  );
}
