// What the marks on the map mean. Always visible: dispatchers glance, they do not hover.
import { STATUS_COLOR, STATUS_LABEL } from '../lib/truck-status';

/** `clustered`: the map groups trucks at fleet zoom (a big fleet), so the legend says what a bubble is. */
export function MapLegend({ clustered = false }: { clustered?: boolean }) {
  return (
    <div className="map-legend" aria-label="Map legend">
      {(['moving', 'stopped', 'quiet', 'alerting'] as const).map((status) => (
        <span key={status} className="legend-item" data-testid="legend-status" title={STATUS_LABEL[status]}>
          <span className="legend-dot" style={{ background: STATUS_COLOR[status] }} /> {STATUS_LABEL[status]}
        </span>
      ))}
      <span className="legend-item" title="A truck whose last fix is 2 to 10 min old is drawn fainter">
        <span className="legend-dot legend-dot-faded" style={{ background: STATUS_COLOR.moving }} /> faded: fix 2–10 min old
      </span>
      <span className="legend-item" title="Trucks reporting 3 km/h or more, with a heading">
        <span className="legend-arrow" aria-hidden="true">▲</span> heading (moving)
      </span>
      <span className="legend-item" title="A truck sends out a ring when a new fix comes in, and glides to it">
        <span className="legend-pulse" aria-hidden="true" /> ring: new fix
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
