// The selected truck's speed chart, docked under the map. Collapsible, because a dispatcher
// following a truck across the map wants the room back. Test hooks on the root:
//   data-testid="speed-chart"  data-truck="<id>"
//   data-points="N"   points on the reported-speed line (plausible fixes with a speed);
//   data-implied="N"  points on the implied-speed line;  data-flagged="N"  red flagged-fix dots.
import { useMemo } from 'react';
import type { FixDto } from '../../../../shared/api';
import { Icon } from '../../components/Icon';
import { EmptyState } from '../../components/StatusMessage';
import { formatCount, formatSpeed, plural } from '../../lib/format';
import { useFixSource } from './use-fix-source';
import { useNodeNow } from '../../store/session-context';
import type { TruckTrack } from '../../store/trail-merge';
import { SpeedChart } from './SpeedChart';
import { SPEED_LIMIT_KMH, speedSeries } from './speed-series';

export interface SpeedPanelProps {
  readonly track: TruckTrack;
  readonly color: string;
  readonly collapsed: boolean;
  readonly onToggleCollapsed: () => void;
  readonly onHoverFix: (fix: FixDto | null) => void;
}

export function SpeedPanel({ track, color, collapsed, onToggleCollapsed, onHoverFix }: SpeedPanelProps) {
  const series = useMemo(() => speedSeries(track.trail), [track.trail]);
  // Only used to decide whether a fix needs its date printed; a slow tick is plenty.
  const nowMs = useNodeNow(60_000);
  const { truck, fixCount, current } = track.summary;
  const charted = track.trail.length < fixCount ? ` · last ${formatCount(track.trail.length)} charted` : '';
  const chartable = series.reportedCount >= 2;
  // Where the latest fix came from: its event's source field.
  const source = useFixSource(current);

  return (
    <section
      className={collapsed ? 'speed-panel is-collapsed' : 'speed-panel'}
      aria-label={`Speed of ${truck}`}
      data-testid="speed-chart"
      data-truck={truck}
      data-points={series.reportedCount}
      data-implied={series.impliedCount}
      data-flagged={series.flaggedCount}
    >
      <header className="speed-panel-header">
        <button type="button" className="speed-panel-toggle" onClick={onToggleCollapsed} aria-expanded={!collapsed} title={collapsed ? 'Show the speed chart' : 'Hide the speed chart'}>
          <Icon name={collapsed ? 'chevronRight' : 'chevronDown'} size={14} />
          <span className="truck-swatch" style={{ background: color }} aria-hidden="true" />
          <span className="speed-panel-truck">{truck}</span>
        </button>
        <span className="speed-panel-meta">
          {plural(fixCount, 'fix', 'fixes')}
          {charted} · latest <strong>{formatSpeed(current?.speedKmh ?? null)}</strong>
          {source ? (
            <>
              {' · from '}
              <span className={source.unsigned ? 'fix-source is-unsigned' : 'fix-source'} data-testid="fix-source" data-unsigned={source.unsigned} title={source.unsigned ? 'Nobody signed this report: the node that took it in vouches for it' : undefined}>
                {source.text}
              </span>
            </>
          ) : null}
        </span>
        {collapsed || !chartable ? null : (
          <div className="speed-legend" aria-label="Chart legend">
            <span className="legend-item">
              <span className="speed-legend-line" style={{ background: color }} /> reported
            </span>
            <span className="legend-item">
              <span className="speed-legend-line is-dashed" /> implied by movement
            </span>
            <span className="legend-item">
              <span className="speed-legend-dot" /> flagged fix
            </span>
            <span className="legend-item">
              <span className="speed-legend-line is-limit" /> limit {SPEED_LIMIT_KMH} km/h
            </span>
          </div>
        )}
      </header>
      {collapsed ? null : (
        <div className="speed-panel-body">
          {!chartable ? (
            <EmptyState title="Not enough speed readings to chart">
              {truck} has {plural(series.reportedCount, 'plausible fix', 'plausible fixes')} with a reported speed; the chart appears from two.
            </EmptyState>
          ) : (
            <SpeedChart series={series} color={color} nowMs={nowMs} onHoverFix={onHoverFix} />
          )}
        </div>
      )}
    </section>
  );
}
