// A peer's refusals (feeds it would not take, with its reason) and problems (bad input we got
// from it, by reason code). Counted in the row; messages shown when the row is expanded.
import type { PeerRowDto } from '../../../../shared/api';
import { formatAge, formatCount, shortId } from '../../lib/format';
import { authorLabel, type AuthorNames } from '../../store/names-store';

export function IssueChips({ row }: { row: PeerRowDto }) {
  if (row.refused.length === 0 && row.problems.length === 0) return <span className="muted">none</span>;
  const refusedByCode = new Map<string, number>();
  for (const r of row.refused) refusedByCode.set(r.code, (refusedByCode.get(r.code) ?? 0) + 1);
  return (
    <span className="issue-chips">
      {[...refusedByCode].map(([code, count]) => (
        <span key={`refused:${code}`} className="chip chip-warn" title={`The peer refused ${count} feed(s): ${code}`}>
          refused <code>{code}</code> ×{formatCount(count)}
        </span>
      ))}
      {row.problems.map((p) => (
        <span key={`problem:${p.code}`} className="chip chip-bad" title={p.message}>
          <code>{p.code}</code> ×{formatCount(p.count)}
        </span>
      ))}
    </span>
  );
}

export function IssueDetails({ row, names, nowMs }: { row: PeerRowDto; names: AuthorNames | null; nowMs: number }) {
  return (
    <div className="issue-details">
      {row.problems.length > 0 ? (
        <div>
          <h4>Problems with what this peer sent</h4>
          <ul>
            {row.problems.map((p) => (
              <li key={p.code}>
                <code className="chip chip-bad">{p.code}</code> <span className="issue-count">×{formatCount(p.count)}</span>{' '}
                <span className="muted">last {formatAge(nowMs - p.atMs)}</span>
                <div className="issue-message">{p.message}</div>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {row.refused.length > 0 ? (
        <div>
          <h4>Feeds this peer refused</h4>
          <ul>
            {row.refused.map((r) => (
              <li key={`${r.author}:${r.code}`}>
                <code className="chip chip-warn">{r.code}</code> feed of <strong>{authorLabel(names, r.author)}</strong>{' '}
                <code className="muted">{shortId(r.author)}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
