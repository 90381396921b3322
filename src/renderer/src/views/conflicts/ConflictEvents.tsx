// The events behind one timeline entry, as this node holds them: who wrote each (by name), its
// place in the author's feed, its kind, its HLC time and its payload, with whether a head
// signature is held right there and whether it came from an unsigned prototype import. For a
// concurrent write each event also says which part it played: shown, not shown, or settled it.
import type { ConflictEntryDto, EventDto, JsonValue } from '../../../../shared/api';
import { AuthorName } from '../../components/AuthorName';
import { EmptyState, ErrorNotice, LoadingState } from '../../components/StatusMessage';
import { formatClockTime } from '../../lib/format';
import { prettyJson } from '../../lib/pretty-json';
import { authorLabel, type AuthorNames } from '../../store/names-store';
import { useNodeQuery } from '../../store/use-node-query';
import { entryPlace } from './conflict-kinds';
import { KindLabel, StatusBadge } from './ConflictList';

type Role = { readonly label: string; readonly tone: 'ok' | 'open' | 'plain'; readonly title: string };

/** Which part an event played in a concurrent write, read from the entry's detail. */
function roleOf(entry: ConflictEntryDto, ev: EventDto): Role | null {
  if (entry.kind !== 'concurrent_write' || typeof entry.detail !== 'object' || entry.detail === null || Array.isArray(entry.detail)) return null;
  const is = (w: JsonValue | undefined) => typeof w === 'object' && w !== null && !Array.isArray(w) && w['author'] === ev.author && w['seq'] === ev.seq;
  const d = entry.detail;
  if (is(d['settled_by'])) return { label: 'settled it', tone: 'ok', title: 'A later write that had seen every competing value' };
  if (is(d['winner'])) {
    return entry.status === 'open'
      ? { label: 'shown', tone: 'open', title: 'The value displayed while the conflict is open (HLC order, then author, then seq)' }
      : { label: 'won', tone: 'plain', title: 'The value that was displayed until the field was settled' };
  }
  const losers = Array.isArray(d['losers']) ? d['losers'] : [];
  if (losers.some(is)) return { label: 'not shown', tone: 'plain', title: 'A competing value kept as evidence, not displayed' };
  return null;
}

function EventCard({ ev, role, names, nowMs }: { ev: EventDto; role: Role | null; names: AuthorNames | null; nowMs: number }) {
  return (
    <li className="event-card" data-testid="conflict-event" data-author={ev.author} data-seq={ev.seq}>
      <div className="event-head">
        <AuthorName names={names} author={ev.author} seq={ev.seq} strong />
        <code className="event-kind">{ev.kind}</code>
        {role ? (
          <span className={`badge badge-role-${role.tone}`} title={role.title} data-testid="event-role">
            {role.label}
          </span>
        ) : null}
      </div>
      <dl className="event-facts">
        <dt>HLC time</dt>
        <dd>
          {formatClockTime(ev.hlcWall, nowMs)} <span className="muted">· counter {ev.hlcCounter}</span>
        </dd>
        <dt>Event id</dt>
        <dd>
          <code title={ev.id}>{ev.id.slice(0, 16)}…</code>
        </dd>
        <dt>Signature</dt>
        <dd className="event-badges">
          {ev.signedHere ? (
            <span className="badge badge-ok" title="A head signature is held at this event: it authenticates this event and everything below it in the feed">
              signed head here
            </span>
          ) : (
            <span className="badge" title="Authenticated by a signed head later in the same feed">covered by a later head</span>
          )}
          {ev.imported ? (
            <span className="badge badge-warn" title="Imported from a prototype file: it carries no original signature; the nodes named here vouch for it" data-testid="event-imported">
              imported, unsigned{ev.vouchedBy.length ? ` · vouched for by ${ev.vouchedBy.map((a) => authorLabel(names, a)).join(', ')}` : ''}
            </span>
          ) : null}
        </dd>
      </dl>
      <pre className="payload" aria-label="Payload">
        {prettyJson(ev.payload)}
      </pre>
    </li>
  );
}

export function ConflictEvents({ entry, stillListed, names, nowMs }: { entry: ConflictEntryDto; stillListed: boolean; names: AuthorNames | null; nowMs: number }) {
  const key = JSON.stringify(entry.refs);
  const events = useNodeQuery(key, (s) => s.bridge.call('events.get', { refs: entry.refs }));
  const held = events.dataKey === key ? events.data : null;
  const missing = held ? entry.refs.filter(([a, s]) => !held.some((e) => e.author === a && e.seq === s)) : [];
  const place = entryPlace(entry);
  return (
    <div className="conflict-events" data-testid="conflict-events" data-entry={entry.id}>
      <header className="conflict-events-header">
        <div className="conflict-events-title">
          <KindLabel kind={entry.kind} />
          {entry.status ? <StatusBadge status={entry.status} /> : null}
          {place ? <code className="conflict-place">{place}</code> : null}
          <span className="muted">{formatClockTime(entry.atMs, nowMs)}</span>
        </div>
        <p className="conflict-events-summary">{entry.summary}</p>
        {!stillListed ? <p className="tone-warn conflict-gone">Not in the current list: filtered out, or changed since (an open conflict becomes a settled entry).</p> : null}
      </header>
      {events.error ? <ErrorNotice error={events.error} context="Could not read the events" compact /> : null}
      {held === null ? (
        events.error ? null : <LoadingState label="Reading events…" />
      ) : held.length === 0 ? (
        <EmptyState title="None of these events is held here" />
      ) : (
        <ol className="event-list">
          {held.map((ev) => (
            <EventCard key={`${ev.author}:${ev.seq}`} ev={ev} role={roleOf(entry, ev)} names={names} nowMs={nowMs} />
          ))}
        </ol>
      )}
      {missing.length > 0 ? (
        <p className="muted">
          Not held here: {missing.map(([a, s]) => `${authorLabel(names, a)} #${s}`).join(', ')}
        </p>
      ) : null}
    </div>
  );
}
