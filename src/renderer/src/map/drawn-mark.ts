// A test and bench hook: once MapLibre has drawn a source's new data, the map's element says so
// (`data-drawn-fix-ms`: the newest fix time among the positions drawn). The bench reads it to
// measure the time from a truck's fix to its pixel; tests can wait on it instead of on idle
// (a map showing 5,000 reporting trucks is never idle).
import type { Map as MapLibreMap, MapSourceDataEvent } from 'maplibre-gl';

/** After `sent` resolves: at the first frame rendered once the source's tiles hold the new data. */
export function markWhenDrawn(map: MapLibreMap, sourceId: string, sent: Promise<void>, mark: () => void): void {
  void sent.then(() => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      map.off('sourcedata', onData);
      map.once('render', mark);
      map.triggerRepaint();
    };
    const onData = (e: MapSourceDataEvent) => {
      if (e.sourceId === sourceId && map.isSourceLoaded(sourceId)) finish();
    };
    map.on('sourcedata', onData);
    // A source whose tiles did not need reloading sends no event: the next frame shows it.
    setTimeout(finish, 500);
  });
}
