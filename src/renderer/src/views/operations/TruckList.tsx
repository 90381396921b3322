// The dispatcher's list of trucks: name, age of the last fix, speed and flagged fixes, greyed as
// positions go stale. Clicking a truck selects and follows it on the map; clicking again lets go.
import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ApiErrorDto } from '../../../../shared/api';
import { Icon } from '../../components/Icon';
import { selectableRowProps } from '../../components/selectable-row';
import { EmptyState, ErrorNotice, LoadingState } from '../../components/StatusMessage';
import { formatAge, formatClockTime, formatCount, formatSpeed } from '../../lib/format';
import { freshnessOf, FRESHNESS_LABEL, type Freshness } from '../../lib/freshness';
import { useNodeNow } from '../../store/session-context';
import { ExportTracksMenu } from './ExportTracksMenu';
import type { TruckTrack } from '../../store/trail-merge';
import type { TruckSelection } from './truck-selection';

/** Below this many trucks a filter box is clutter. */
const FILTER_FROM = 9;
/** Each row's height (CSS holds rows to it): only the rows in view are in the page, so 5,000 trucks cost what 30 do. */
const ROW_PX = 34;

export interface TruckListProps {
  readonly tracks: readonly TruckTrack[];
  readonly colors: ReadonlyMap<string, string>;
  readonly loaded: boolean;
  readonly error: ApiErrorDto | null;
  readonly selection: TruckSelection;
  readonly onPick: (truck: string) => void;
  /** Open alerts per truck (a badge beside its name). */
  readonly openAlerts?: ReadonlyMap<string, number>;
}

export function TruckList({ tracks, colors, loaded, error, selection, onPick, openAlerts }: TruckListProps) {
  const now = useNodeNow(1000);
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return needle ? tracks.filter((t) => t.summary.truck.toLowerCase().includes(needle)) : tracks;
  }, [tracks, filter]);
  const body = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => body.current, estimateSize: () => ROW_PX, overscan: 12, initialRect: { width: 0, height: 900 } });
  const items = virtual.getVirtualItems();
  const above = items[0]?.start ?? 0;
  const below = virtual.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const counts: Record<Freshness, number> = { fresh: 0, aging: 0, stale: 0, unknown: 0 };
  for (const t of tracks) counts[freshnessOf(t.summary.current?.fixMs, now)]++;

  return (
    <section className="panel truck-panel" aria-label="Trucks">
      <header className="panel-header">
        <h2>
          Trucks <span className="panel-count">{formatCount(tracks.length)}</span>
        </h2>
        <div className="freshness-summary">
          {(['fresh', 'aging', 'stale'] as const).map((f) => (
            <span key={f} className={`freshness-pill freshness-${f}`} title={FRESHNESS_LABEL[f]}>
              <span className="freshness-dot" /> {counts[f]} {f}
            </span>
          ))}
        </div>
        {tracks.length > 0 ? <ExportTracksMenu selectedTruck={selection.truck} /> : null}
      </header>
      {tracks.length >= FILTER_FROM ? (
        <div className="panel-toolbar">
          <input className="text-input filter-input" type="search" placeholder="Filter trucks…" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter trucks" />
        </div>
      ) : null}
      {error ? <ErrorNotice error={error} context={loaded ? 'Fleet refresh failed; showing the last data' : 'Could not load the fleet'} compact /> : null}
      <div className="panel-body" ref={body}>
        {!loaded && !error ? (
          <LoadingState label="Loading trucks…" />
        ) : loaded && tracks.length === 0 ? (
          <EmptyState title="No trucks yet">Positions appear here as they sync from trucks and peers.</EmptyState>
        ) : rows.length === 0 && filter ? (
          <EmptyState title={`No truck matches “${filter}”`} />
        ) : (
          <table className="data-table truck-table">
            <colgroup>
              <col />
              <col className="col-age" />
              <col className="col-speed" />
              <col className="col-flagged" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Truck</th>
                <th scope="col" className="num">
                  Last fix
                </th>
                <th scope="col" className="num">
                  Speed
                </th>
                <th scope="col" className="num" title="Flagged fixes: positions a fleet filter found implausible, kept but left out of the trail">
                  Flags
                </th>
              </tr>
            </thead>
            <tbody>
              {above > 0 ? <tr aria-hidden="true" style={{ height: above }} /> : null}
              {items.map(({ index }) => {
                const track = rows[index]!;
                const { truck, current, flaggedCount } = track.summary;
                const freshness = freshnessOf(current?.fixMs, now);
                const selected = selection.truck === truck;
                return (
                  <tr
                    key={truck}
                    data-testid="truck-row"
                    data-truck={truck}
                    data-freshness={freshness}
                    className={`truck-row is-${freshness}${selected ? ' is-selected' : ''}`}
                    {...selectableRowProps(() => onPick(truck), selected)}
                  >
                    <td className="truck-cell">
                      <span className="truck-name">
                        <span className="truck-swatch" style={{ background: colors.get(truck) }} aria-hidden="true" />
                        <span className={`freshness-dot freshness-${freshness}`} title={FRESHNESS_LABEL[freshness]} />
                        <span className="truck-id">{truck}</span>
                        {openAlerts?.get(truck) ? (
                          <span className="badge badge-warn alert-badge" data-testid="truck-alert-badge" title={`${openAlerts.get(truck)} open alert(s)`}>
                            {formatCount(openAlerts.get(truck)!)} alert{openAlerts.get(truck) === 1 ? '' : 's'}
                          </span>
                        ) : null}
                        {selected && selection.following ? <Icon name="crosshair" size={13} className="following-icon" /> : null}
                      </span>
                    </td>
                    <td className="num" title={current ? formatClockTime(current.fixMs, now) : 'No plausible fix yet'}>
                      {current ? formatAge(now - current.fixMs) : '—'}
                    </td>
                    <td className="num">{formatSpeed(current?.speedKmh ?? null)}</td>
                    <td className="num">{flaggedCount > 0 ? <span className="badge badge-bad">{formatCount(flaggedCount)}</span> : <span className="muted">0</span>}</td>
                  </tr>
                );
              })}
              {below > 0 ? <tr aria-hidden="true" style={{ height: below }} /> : null}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
