// The export formats by name, as the CLI's verb and the console's API take them.
import { csvEncoder } from './csv';
import { gpxEncoder } from './gpx';
import { kmlEncoder } from './kml';
import type { TrackEncoder, TrackFormat } from './track-export';

export const TRACK_ENCODERS: Readonly<Record<TrackFormat, TrackEncoder>> = { gpx: gpxEncoder, kml: kmlEncoder, csv: csvEncoder };
