// MapLibre, configured for a console with no network: its worker is one of our own bundled files
// (without it MapLibre 6 draws nothing), and its stylesheet is bundled too.
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import 'maplibre-gl/dist/maplibre-gl.css';

maplibregl.setWorkerUrl(workerUrl);

export { maplibregl };
