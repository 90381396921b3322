// The matching entries as a list, newest first: when, what kind, open or settled, where, and the
// node's one-line summary. Clicking a row opens its events, like clicking its mark. Entries in a
// row that say the same thing (nine "a fix from kit-3 was recorded 4 min after it was taken")
// fold into one row with a count, opened on demand.
import { Fragment, useState } from 'react';
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

/** Runs of neighbouring entries with the same kind, status and sentence, newest first. */
export function groupAlike(newestFirst: readonly ConflictEntryDto[]): ConflictEntryDto[][] {
  const groups: ConflictEntryDto[][] = [];
  for (const e of newestFirst) {
    const last = groups[groups.length - 1];
    const head = last?.[0];
    if (head && head.kind === e.kind && head.status === e.status && head.summary === e.summary) last.push(e);
    else groups.push([e]);
  }
  return groups;
}

export function ConflictList({ entries, selectedId, nowMs, onSelect }: { entries: readonly ConflictEntryDto[]; selectedId: string | null; nowMs: number; onSelect: (e: ConflictEntryDto) => void }) {
  const [opened, setOpened] = useState<ReadonlySet<string>>(new Set());
  const groups = groupAlike([...entries].reverse());
  const row = (entry: ConflictEntryDto, more: ConflictEntryDto[] | null) => {
    const place = entryPlace(entry);
    const selected = entry.id === selectedId;
    const isOpen = opened.has(entry.id);
    return (
      <tr
        key={entry.id}
        className={selected ? 'conflict-row is-selected' : 'conflict-row'}
        data-testid="conflict-entry"
        data-entry={entry.id}
        data-kind={entry.kind}
        data-status={entry.status ?? 'none'}
        data-repeats={more ? more.length + 1 : undefined}
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
          {more ? (
            <button
              type="button"
              className="link-button repeat-toggle"
              data-testid="repeat-toggle"
              aria-expanded={isOpen}
              onClick={(e) => {
                e.stopPropagation();
                setOpened((o) => {
                  const next = new Set(o);
                  if (!next.delete(entry.id)) next.add(entry.id);
                  return next;
                });
              }}
            >
              {isOpen ? 'hide' : `×${more.length + 1}, since ${formatClockTime(more[more.length - 1]!.atMs, nowMs)}`}
            </button>
          ) : null}
        </td>
      </tr>
    );
  };
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
        {groups.map(([head, ...rest]) => (
          <Fragment key={head!.id}>
            {row(head!, rest.length > 0 ? rest : null)}
            {rest.length > 0 && (opened.has(head!.id) || rest.some((e) => e.id === selectedId)) ? rest.map((e) => row(e, null)) : null}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
