// An open conflict on one field: writes that did not see each other. The node shows the winner
// (HLC order, then author, then seq) and keeps the others; a coordinator needs to see them all,
// who wrote each and when, to decide what the field should say. "Keep this value" on any of them
// (or writing the field again with the form below) settles it: that write has seen every one.
import type { FieldDto, WriteDto } from '../../../../shared/api';
import { useSession } from '../../store/session-context';
import { AppendResultNotice } from './AppendResultNotice';
import { useAppendAction } from './use-append-action';
import { formatFieldValue } from '../../lib/field-value';
import { AuthorName } from '../../components/AuthorName';
import { formatClockTime, plural } from '../../lib/format';
import type { AuthorNames } from '../../store/names-store';

export function ConflictBadge({ count }: { count: number }) {
  return (
    <span className="badge badge-conflict" data-testid="conflict-badge" title="Writes that did not see each other; the winner is shown until someone writes the field again">
      {count === 1 ? 'conflict' : `${count} conflicts`}
    </span>
  );
}

function CompetingWrite({ write, shown, names, nowMs, onKeep, busy }: { write: WriteDto; shown: boolean; names: AuthorNames | null; nowMs: number; onKeep: () => void; busy: boolean }) {
  return (
    <li className={shown ? 'competing-write is-shown' : 'competing-write'} data-testid="conflict-write" data-winner={shown ? 'true' : 'false'} data-author={write.author}>
      <span className="competing-value">{formatFieldValue(write.value)}</span>
      {shown ? (
        <span className="badge badge-shown" title="The value displayed while the conflict is open">
          shown
        </span>
      ) : (
        <span className="badge" title="Kept as evidence; not displayed">
          not shown
        </span>
      )}
      <span className="competing-who">
        by <AuthorName names={names} author={write.author} seq={write.seq} strong />
      </span>
      <span className="competing-when muted">{formatClockTime(write.atMs, nowMs)}</span>
      <button type="button" className="button button-small keep-value" onClick={onKeep} disabled={busy} data-testid="keep-value" title="Settle the conflict with this value: a new write that has seen every competing one">
        Keep this value
      </button>
    </li>
  );
}

export function FieldConflict({ recordId, field, names, nowMs }: { recordId: string; field: FieldDto; names: AuthorNames | null; nowMs: number }) {
  const { records } = useSession();
  const action = useAppendAction();
  if (!field.conflict) return null;
  const { winner, losers } = field.conflict;
  const keep = (w: WriteDto) => void action.run(() => records.setField({ recordId, field: field.name, value: w.value }));
  return (
    <div className="field-conflict" data-testid="field-conflict" data-field={field.name}>
      <p className="field-conflict-text">
        {plural(losers.length + 1, 'write')} to <code>{field.name}</code> did not see each other. The first is shown on every node until someone keeps one of them (or sets the field again).
      </p>
      <ul className="competing-writes">
        <CompetingWrite write={winner} shown names={names} nowMs={nowMs} onKeep={() => keep(winner)} busy={action.pending} />
        {losers.map((w) => (
          <CompetingWrite key={`${w.author}:${w.seq}`} write={w} shown={false} names={names} nowMs={nowMs} onKeep={() => keep(w)} busy={action.pending} />
        ))}
      </ul>
      <AppendResultNotice result={action.result} pending={action.pending} success="Settled" />
    </div>
  );
}
