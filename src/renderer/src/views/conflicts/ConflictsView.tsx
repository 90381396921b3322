// Conflicts: everything that did not simply agree, on a timeline (one lane per kind) with the
// matching entries listed below it and the events behind the selected one beside them. Filters
// and the time zoom are sent to the node, which re-answers whenever its conflicts change.
import { useEffect, useMemo, useState } from 'react';
import type { ConflictEntryDto, ConflictKindDto, ConflictQueryDto } from '../../../../shared/api';
import { EmptyState, ErrorNotice, LoadingState } from '../../components/StatusMessage';
import { formatClockTime, formatCount, plural } from '../../lib/format';
import { useStore } from '../../store/external-store';
import { useNodeNow, useSession } from '../../store/session-context';
import { useNodeQuery } from '../../store/use-node-query';
import { CONFLICT_KINDS } from './conflict-kinds';
import { ConflictEvents } from './ConflictEvents';
import { ExportConflictsButton } from './ExportConflictsButton';
import { ConflictFilters, hasFilters, NO_FILTERS, type ConflictFilterState } from './ConflictFilters';
import { ConflictList } from './ConflictList';
import { ConflictTimeline } from './ConflictTimeline';
import { robustSpan, timelineDomain } from './timeline-layout';

/** The node answers at most 5000; the newest this many are plenty to draw and list. */
const QUERY_LIMIT = 2000;

function StatusLegend() {
  return (
    <span className="timeline-legend" aria-label="Legend">
      <span>
        <svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">
          <circle r={6} fill="var(--text-dim)" fillOpacity={0.2} stroke="var(--text-dim)" />
          <circle r={3.5} fill="var(--text)" />
        </svg>
        open
      </span>
      <span>
        <svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">
          <circle r={4} fill="none" stroke="var(--text)" strokeWidth={2} />
        </svg>
        settled
      </span>
      <span>
        <svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true">
          <rect x={-3.5} y={-3.5} width={7} height={7} transform="rotate(45)" fill="var(--text)" />
        </svg>
        event
      </span>
    </span>
  );
}

export function ConflictsView() {
  const session = useSession();
  const names = useStore(session.names.store).data;
  const now = useNodeNow(5000);
  const [filters, setFilters] = useState<ConflictFilterState>(NO_FILTERS);
  const [zoom, setZoom] = useState<readonly [number, number] | null>(null);
  const [selected, setSelected] = useState<ConflictEntryDto | null>(null);

  const query: ConflictQueryDto = {
    ...(filters.kinds.length > 0 ? { kinds: filters.kinds } : {}),
    ...(filters.record ? { record: filters.record } : {}),
    ...(filters.truck ? { truck: filters.truck } : {}),
    ...(filters.author ? { author: filters.author } : {}),
    ...(zoom ? { fromMs: zoom[0], toMs: zoom[1] } : {}),
    limit: QUERY_LIMIT,
  };
  const key = JSON.stringify(query);
  const result = useNodeQuery(key, (s) => s.bridge.call('conflicts.list', query), ['conflicts']);
  const list = result.data;

  useEffect(() => {
    if (list) session.names.ensureKnown([...list.authors, ...list.entries.flatMap((e) => e.refs.map(([a]) => a))]);
  }, [list, session]);

  // A selected entry follows its updates (an open conflict's losers can grow) while it is listed.
  const current = selected ? (list?.entries.find((e) => e.id === selected.id) ?? null) : null;
  const shownEntry = current ?? selected;

  const lanes = useMemo((): ConflictKindDto[] => {
    const present = CONFLICT_KINDS.filter((k) => (list?.counts[k] ?? 0) > 0);
    return filters.kinds.length > 0 ? present.filter((k) => filters.kinds.includes(k)) : present;
  }, [list, filters.kinds]);
  // A few far-off entries (a fix dated years ahead) must not squeeze the rest to one edge.
  const span = useMemo(() => (list ? (robustSpan(list.entries.map((e) => e.atMs)) ?? list.spanMs) : null), [list]);
  const domain = useMemo(() => timelineDomain(zoom, span), [zoom, span]);

  return (
    <div className="page conflicts-page">
      <header className="page-header">
        <div>
          <h1>Conflicts</h1>
          <p className="page-subtitle" data-testid="conflicts-subtitle">
            {list === null
              ? 'Loading…'
              : `${plural(list.total, 'entry', 'entries')} · ${formatCount(list.openCount)} open${hasFilters(filters) || zoom ? ` · ${formatCount(list.matched)} match` : ''}`}
          </p>
        </div>
        {list && list.total > 0 ? <ExportConflictsButton /> : null}
      </header>
      {list && list.total > 0 ? <ConflictFilters list={list} filters={filters} names={names} onChange={setFilters} /> : null}
      {result.error ? <ErrorNotice error={result.error} context={list ? 'Refresh failed; showing the last answer' : 'Could not load conflicts'} /> : null}
      {list === null ? (
        result.error ? null : <LoadingState label="Loading conflicts…" />
      ) : list.total === 0 ? (
        <EmptyState title="No conflicts">
          Concurrent edits, late or implausible truck positions, forks and refused writes appear here as the node meets them.
        </EmptyState>
      ) : (
        <>
          <section className="panel timeline-panel" aria-label="Timeline">
            <header className="panel-header">
              <h2>
                Timeline <span className="panel-count">{formatCount(list.entries.length)}</span>
              </h2>
              <div className="timeline-tools">
                <StatusLegend />
                {zoom ? (
                  <span className="zoom-state" data-testid="zoom-state">
                    {formatClockTime(zoom[0], now)} – {formatClockTime(zoom[1], now)}
                    <button type="button" className="button button-small" onClick={() => setZoom(null)} data-testid="zoom-reset">
                      Reset zoom
                    </button>
                  </span>
                ) : (
                  <span className="muted">Drag across the timeline to zoom in</span>
                )}
              </div>
            </header>
            <ConflictTimeline entries={list.entries} kinds={lanes} domain={domain} edges={zoom === null} selectedId={shownEntry?.id ?? null} nowMs={now} onSelect={setSelected} onZoom={(a, b) => setZoom([a, b])} />
            {list.matched > list.entries.length ? (
              <p className="panel-note">
                Showing the newest {formatCount(list.entries.length)} of {formatCount(list.matched)} matching entries; zoom or filter to see older ones.
              </p>
            ) : null}
          </section>
          <div className="conflicts-layout">
            <section className="panel" aria-label="Entries">
              <header className="panel-header">
                <h2>
                  Entries <span className="panel-count">{formatCount(list.entries.length)}</span>
                </h2>
              </header>
              <div className="panel-body">
                {list.entries.length === 0 ? (
                  <EmptyState title="Nothing matches">Clear a filter or reset the zoom.</EmptyState>
                ) : (
                  <ConflictList entries={list.entries} selectedId={shownEntry?.id ?? null} nowMs={now} onSelect={setSelected} />
                )}
              </div>
            </section>
            <section className="panel conflict-events-panel" aria-label="Events of the selected entry">
              <header className="panel-header">
                <h2>Events</h2>
              </header>
              <div className="panel-body">
                {shownEntry ? (
                  <ConflictEvents key={shownEntry.id} entry={shownEntry} stillListed={current !== null} names={names} nowMs={now} />
                ) : (
                  <EmptyState title="No entry selected">Click a mark on the timeline or a row in the list to see the events behind it.</EmptyState>
                )}
              </div>
            </section>
          </div>
        </>
      )}
    </div>
  );
}
