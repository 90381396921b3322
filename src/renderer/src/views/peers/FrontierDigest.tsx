// This node's frontier (the newest event it holds from every feed) as one digest. Two nodes with
// the same digest hold the same events; reviewers compare it across nodes to confirm a sync.
import { useEffect, useState } from 'react';
import type { ApiErrorDto, FrontierDto } from '../../../../shared/api';
import { describeError } from '../../lib/errors';
import { formatCount } from '../../lib/format';
import { useStore } from '../../store/external-store';
import { useSession } from '../../store/session-context';

export function FrontierDigest() {
  const session = useSession();
  // Re-read whenever the node reports a new event count (node pushes are throttled by the node).
  const eventCount = useStore(session.node.store).data?.info.eventCount ?? null;
  const [frontier, setFrontier] = useState<FrontierDto | null>(null);
  const [error, setError] = useState<ApiErrorDto | null>(null);

  useEffect(() => {
    let current = true;
    session.bridge.call('frontier.get', {}).then(
      (result) => {
        if (!current) return;
        setFrontier(result);
        setError(null);
      },
      (failure: unknown) => current && setError(describeError(failure)),
    );
    return () => {
      current = false;
    };
  }, [session, eventCount]);

  if (error) {
    return (
      <div className="frontier-digest" title={error.message}>
        frontier unavailable · <code className="error-code">{error.code}</code>
      </div>
    );
  }
  if (!frontier) return <div className="frontier-digest muted">reading frontier…</div>;
  const feeds = Object.keys(frontier.heads).length;
  const events = Object.values(frontier.heads).reduce((sum, seq) => sum + seq, 0);
  return (
    <div className="frontier-digest" data-testid="frontier-digest" title={`Frontier digest ${frontier.digest}`}>
      <span className="muted">Our frontier</span>
      <code className="digest">{frontier.digest.slice(0, 16)}</code>
      <span className="muted">
        {formatCount(feeds)} feeds · {formatCount(events)} events
      </span>
    </div>
  );
}
