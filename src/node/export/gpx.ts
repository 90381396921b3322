// GPX 1.1 (topografix.com/GPX/1/1): one <trk> per truck, one <trkseg>, a <trkpt> per fix with its
// <time>. GPX 1.1 has no speed or course on a point, so they go in Garmin's TrackPointExtension
// v2 (speed in m/s, course in degrees), which most GPS tools read. A flagged fix carries
// <mandala:flag> with the filter's reason code.
import type { EvaluatedFix } from '../../core/projections/fleet-trail';
import { degrees, isoTime, xmlText, type TrackEncoder, type TrackPages } from './track-export';

export const GPX_NS = 'http://www.topografix.com/GPX/1/1';
export const GPXTPX_NS = 'http://www.garmin.com/xmlschemas/TrackPointExtension/v2';
export const MANDALA_NS = 'urn:mandala:export:1';

function point(f: EvaluatedFix): string {
  const tpx: string[] = [];
  if (f.speedKmh !== null) tpx.push(`<gpxtpx:speed>${+(f.speedKmh / 3.6).toFixed(3)}</gpxtpx:speed>`);
  if (f.headingDeg !== null) tpx.push(`<gpxtpx:course>${f.headingDeg}</gpxtpx:course>`);
  const ext = [
    ...(tpx.length > 0 ? [`<gpxtpx:TrackPointExtension>${tpx.join('')}</gpxtpx:TrackPointExtension>`] : []),
    ...(f.flag !== null ? [`<mandala:flag>${f.flag}</mandala:flag>`] : []),
  ];
  const extensions = ext.length > 0 ? `<extensions>${ext.join('')}</extensions>` : '';
  return `<trkpt lat="${degrees(f.latE6)}" lon="${degrees(f.lonE6)}"><time>${isoTime(f.fixMs)}</time>${extensions}</trkpt>\n`;
}

export const gpxEncoder: TrackEncoder = {
  mime: 'application/gpx+xml',
  extension: 'gpx',
  head: () =>
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<gpx version="1.1" creator="Mandala" xmlns="${GPX_NS}" xmlns:gpxtpx="${GPXTPX_NS}" xmlns:mandala="${MANDALA_NS}">\n` +
    '<metadata><name>Mandala truck tracks</name><desc>One track per truck, fixes in the order they were taken. Fixes the fleet filters flagged are kept and marked with mandala:flag (the reason).</desc></metadata>\n',
  *track(t: TrackPages) {
    yield `<trk><name>${xmlText(t.truck)}</name><trkseg>\n`;
    for (const page of t.pages()) yield page.map(point).join('');
    yield '</trkseg></trk>\n';
  },
  tail: () => '</gpx>\n',
};
