// The matching entries as a list, newest first: when, what kind, open or settled, where, and the
// node's one-line summary. Clicking a row opens its events, like clicking its mark.
import type { ConflictEntryDto } from '../../../../shared/api';
import { selectableRowProps } from '../../components/selectable-row';
import { formatClockTime } from '../../lib/format';
import { entryPlace, kindMeta } from './conflict-kinds';

export function StatusBadge({ status }: { status: ConflictEntryDto['status'] }) {
  if (status === 'open') return <span className="badge badge-open" title="The writes still disagree; the winner is shown until someone writes the field again">open</span>;
  if (status === 'settled') return <span className="badge badge-ok" title="A later write that saw every competing value settled it">settled</span>;
  return <span className="muted">—</span>;
}

export function KindLabel({ kind }: { kind: string }) {
  const meta = kindMeta(kind);
  return (
    <span className="kind-label" title={meta.explain}>
      <span className="kind-swatch" style={{ background: meta.color }} />
      {meta.label}
    </span>
  );
}

export function ConflictList({ entries, selectedId, nowMs, onSelect }: { entries: readonly ConflictEntryDto[]; selectedId: string | null; nowMs: number; onSelect: (e: ConflictEntryDto) => void }) {
  const newestFirst = [...entries].reverse();
  return (
    <table className="data-table conflict-table">
      <colgroup>
        <col className="col-time" />
        <col className="col-kind" />
        <col className="col-status" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Kind</th>
          <th scope="col">Status</th>
          <th scope="col">What happened</th>
        </tr>
      </thead>
      <tbody>
        {newestFirst.map((entry) => {
          const place = entryPlace(entry);
          const selected = entry.id === selectedId;
          return (
            <tr
              key={entry.id}
              className={selected ? 'conflict-row is-selected' : 'conflict-row'}
              data-testid="conflict-entry"
              data-entry={entry.id}
              data-kind={entry.kind}
              data-status={entry.status ?? 'none'}
              {...selectableRowProps(() => onSelect(entry), selected)}
            >
              <td className="conflict-time">{formatClockTime(entry.atMs, nowMs)}</td>
              <td>
                <KindLabel kind={entry.kind} />
              </td>
              <td>
                <StatusBadge status={entry.status} />
              </td>
              <td className="conflict-summary">
                {place && !entry.summary.startsWith(`${entry.record ?? entry.truck}`) ? <code className="conflict-place">{place}</code> : null}
                <span>{entry.summary}</span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
