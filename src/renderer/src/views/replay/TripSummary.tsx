// One replayed truck's day (or month) in figures: distance, time moving and stopped, top speed,
// its stops (click one to jump there) and its trips. Found by the node from every plausible fix
// of the window, not from the sample the map draws.
import type { ReplayTrackDto } from '../../../../shared/api';
import { formatClockTime, formatCount, formatDistance, formatSpan, formatSpeed, plural } from '../../lib/format';

const LISTED = 40;

export function TripSummary({ track, color, nowMs, onSeek }: { track: ReplayTrackDto; color: string; nowMs: number; onSeek: (ms: number) => void }) {
  const stops = track.stops.slice(0, LISTED);
  return (
    <section className="trip-summary" data-testid="trip-summary" data-truck={track.truck} data-stops={track.stops.length} data-trips={track.trips.length} data-distance-m={Math.round(track.distanceM)}>
      <header className="trip-summary-header">
        <span className="truck-swatch" style={{ background: color }} aria-hidden="true" />
        <h3>{track.truck}</h3>
        <span className="muted">{plural(track.total, 'fix', 'fixes')}</span>
        {track.flagged > 0 ? <span className="badge badge-bad">{formatCount(track.flagged)} flagged</span> : null}
      </header>
      {track.total === 0 ? (
        <p className="panel-note">No fixes of {track.truck} in this window. Choose a longer one.</p>
      ) : (
        <>
          <dl className="fact-grid">
            <dt>Distance</dt>
            <dd data-testid="trip-distance">{formatDistance(track.distanceM)}</dd>
            <dt>Moving</dt>
            <dd>{formatSpan(track.movingMs)}</dd>
            <dt>Stopped</dt>
            <dd>
              {formatSpan(track.stoppedMs)} in {plural(track.stops.length, 'stop')}
            </dd>
            <dt>Top speed</dt>
            <dd>{formatSpeed(track.maxSpeedKmh)}</dd>
            <dt>Trips</dt>
            <dd>{formatCount(track.trips.length)}</dd>
          </dl>
          {track.sampledEvery > 1 ? <p className="panel-note">The map draws one fix in {formatCount(track.sampledEvery)} of this long window (and every flagged one); the figures count every fix.</p> : null}
          {stops.length > 0 ? (
            <ol className="stop-list" aria-label={`Stops of ${track.truck}`}>
              {stops.map((s) => (
                <li key={s.startMs}>
                  <button type="button" className="stop-item" onClick={() => onSeek(s.startMs)} data-testid="stop-item" title="Jump to this stop">
                    <span>{formatClockTime(s.startMs, nowMs)}</span>
                    <span className="muted">
                      {s.openStart ? 'from before · ' : ''}
                      {formatSpan(s.endMs - s.startMs)}
                      {s.openEnd ? ' · to the window end' : ''}
                    </span>
                  </button>
                </li>
              ))}
              {track.stops.length > LISTED ? <li className="muted">and {formatCount(track.stops.length - LISTED)} more</li> : null}
            </ol>
          ) : (
            <p className="panel-note">No stops of 5 minutes or more.</p>
          )}
        </>
      )}
    </section>
  );
}
