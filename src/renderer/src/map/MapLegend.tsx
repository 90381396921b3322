// What the marks on the map mean. Always visible: dispatchers glance, they do not hover.
import { FRESHNESS_COLOR } from '../lib/freshness';

/** `clustered`: the map groups trucks at fleet zoom (a big fleet), so the legend says what a bubble is. */
export function MapLegend({ clustered = false }: { clustered?: boolean }) {
  return (
    <div className="map-legend" aria-label="Map legend">
      <span className="legend-item">
        <span className="legend-dot" style={{ background: FRESHNESS_COLOR.fresh }} /> fresh &lt; 2 min
      </span>
      <span className="legend-item">
        <span className="legend-dot" style={{ background: FRESHNESS_COLOR.aging }} /> aging &lt; 10 min
      </span>
      <span className="legend-item">
        <span className="legend-dot" style={{ background: FRESHNESS_COLOR.stale }} /> stale
      </span>
      <span className="legend-item" title="Trucks reporting 3 km/h or more, with a heading">
        <span className="legend-arrow" aria-hidden="true">▲</span> heading (moving)
      </span>
      <span className="legend-item">
        <span className="legend-ring" /> flagged fix
      </span>
      {clustered ? (
        <span className="legend-item" title="At fleet zoom nearby trucks are grouped; click a group to zoom in until they come apart">
          <span className="legend-cluster" aria-hidden="true">
            12
          </span>{' '}
          trucks grouped
        </span>
      ) : null}
      <span className="legend-item">
        <span className="legend-line" /> road
      </span>
      <span className="legend-item">
        <span className="legend-fence" /> geofence
      </span>
    </div>
  );
}
