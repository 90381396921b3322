// Replay: several trucks on one time slider over a window of their history (a day, a month), read
// from the node a page at a time; their paths and stops on the map, their speeds on a chart linked
// to the map both ways, and each truck's trips summed up beside it. What is replayed is in the URL
// hash, so the truck card's "Replay" and a shared link open the same replay.
import { useEffect, useMemo, useState } from 'react';
import { ErrorNotice, LoadingState } from '../../components/StatusMessage';
import { assignTruckColors } from '../../lib/truck-colors';
import { useStore } from '../../store/external-store';
import { useNodeNow, useSession } from '../../store/session-context';
import { ReplayChart } from './ReplayChart';
import { ReplayControls } from './ReplayControls';
import { ReplayExport } from './ReplayExport';
import { ReplayMap } from './ReplayMap';
import { ReplayPicker } from './ReplayPicker';
import { parseReplayHash, replayHash, type ReplayParams } from './replay-params';
import { plausibleIndexes, positionAt, spanOf, stepTime, type ReplayPosition } from './replay-math';
import { TripSummary } from './TripSummary';
import { usePlayback } from './use-playback';
import { useReplayTracks } from './use-replay-tracks';

function useReplayParams(): [ReplayParams, (p: ReplayParams) => void] {
  const [params, setParams] = useState(() => parseReplayHash(window.location.hash));
  useEffect(() => {
    const onHash = () => window.location.hash.startsWith('#/replay') && setParams(parseReplayHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const set = (p: ReplayParams) => {
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${replayHash(p)}`);
    setParams(p);
  };
  return [params, set];
}

export function ReplayView() {
  const fleet = useStore(useSession().fleet.store);
  const nowMs = useNodeNow(60_000);
  const [params, setParams] = useReplayParams();
  const { tracks, loaded, loading, error } = useReplayTracks(params);
  // The truck list and colours change only when trucks come or go, not with every fix.
  const truckKey = fleet.tracks.map((t) => t.summary.truck).join('\n');
  const allTrucks = useMemo(() => (truckKey ? truckKey.split('\n') : []), [truckKey]);
  const colors = useMemo(() => assignTruckColors(allTrucks.length > 0 ? allTrucks : params.trucks), [allTrucks, params.trucks]);
  const span = useMemo(() => spanOf(tracks), [tracks]);
  // The slider runs over the fixes the window holds: a day's window over an hour of fixes plays that hour.
  const startMs = span ? Math.max(params.fromMs ?? span.startMs, span.startMs) : 0;
  const endMs = span ? Math.min(params.toMs ?? span.endMs, span.endMs) : 0;
  const playback = usePlayback(startMs, endMs);
  const [follow, setFollow] = useState(false);
  const [hoverTimeMs, setHoverTimeMs] = useState<number | null>(null);
  // Each track's plausible fixes, worked out once per load for the cursor and the map.
  const plausible = useMemo(() => new Map(tracks.map((t) => [t.truck, plausibleIndexes(t)])), [tracks]);
  const positionsAt = (ms: number): ReplayPosition[] => tracks.flatMap((t) => positionAt(t, plausible.get(t.truck) ?? [], ms) ?? []);
  const positions = useMemo(() => positionsAt(playback.timeMs), [plausible, playback.timeMs]);
  const hoverPositions = useMemo(() => (hoverTimeMs === null ? [] : positionsAt(hoverTimeMs)), [plausible, hoverTimeMs]);
  const step = (dir: 1 | -1) => {
    playback.pause();
    const t = stepTime(tracks, Math.round(playback.timeMs), dir);
    if (t !== null) playback.seek(t);
  };

  const ready = tracks.length > 0 && !loading && span !== null;
  return (
    <div className="replay">
      <aside className="replay-side">
        <ReplayPicker loaded={fleet.loaded} trucks={allTrucks} colors={colors} params={params} nowMs={nowMs} onChange={setParams} />
        <div className="replay-summaries">
          {tracks.map((t) => (
            <TripSummary key={t.truck} track={t} color={colors.get(t.truck) ?? '#fff'} nowMs={nowMs} onSeek={(ms) => playback.seek(ms)} />
          ))}
        </div>
      </aside>
      <section className="replay-main" aria-label="Replay">
        <div className="replay-map-stage">
          <ReplayMap
            tracks={tracks}
            plausible={plausible}
            colors={colors}
            timeMs={playback.timeMs}
            positions={positions}
            hoverPositions={hoverPositions}
            hoverTimeMs={hoverTimeMs}
            follow={follow}
            onHoverTime={setHoverTimeMs}
            onUserMove={() => setFollow(false)}
          />
          {params.trucks.length === 0 ? (
            <div className="map-overlay-center map-empty">
              <span className="map-empty-message">Choose one or more trucks and a window to replay their history.</span>
            </div>
          ) : loading ? (
            <div className="map-overlay-center" data-testid="replay-loading">
              <LoadingState label={`Reading history from the node… ${loaded} of ${params.trucks.length} trucks`} />
            </div>
          ) : error ? (
            <div className="map-overlay-center">
              <ErrorNotice error={error} context="The replay could not be read" />
            </div>
          ) : !span ? (
            <div className="map-overlay-center map-empty">
              <span className="map-empty-message">No fixes of these trucks in this window. Choose a longer window.</span>
            </div>
          ) : null}
        </div>
        {ready ? (
          <div className="replay-dock">
            <ReplayControls playback={playback} startMs={startMs} endMs={endMs} nowMs={nowMs} follow={follow} onFollow={setFollow} onStep={step} />
            <ReplayChart tracks={tracks} colors={colors} startMs={startMs} endMs={endMs} timeMs={playback.timeMs} hoverTimeMs={hoverTimeMs} onHoverTime={setHoverTimeMs} onSeek={playback.seek} />
            <div className="replay-readout" data-testid="replay-readout">
              <ReplayExport trucks={tracks.map((t) => t.truck)} fromMs={params.fromMs ?? startMs} toMs={params.toMs ?? endMs} />
              {(hoverTimeMs === null ? positions : hoverPositions).map((p) => (
                <span key={p.truck}>
                  <span className="truck-swatch" style={{ background: colors.get(p.truck) ?? '#fff' }} aria-hidden="true" /> {p.truck} {p.speedKmh === null ? '—' : `${Math.round(p.speedKmh)} km/h`}
                </span>
              ))}
            </div>
          </div>
        ) : null}
      </section>
    </div>
  );
}
