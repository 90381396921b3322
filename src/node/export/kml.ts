// KML 2.2 with Google's gx extensions: one Placemark per truck holding a <gx:Track>, a <when> and
// a <gx:coord> per fix (the schema wants every <when> first, then every <gx:coord>, so the pages
// are read once for each). Speed, heading and the flag reason ride along per point as
// ExtendedData arrays (gx:SimpleArrayData), the form Google Earth shows in a track's profile.
import type { EvaluatedFix } from '../../core/projections/fleet-trail';
import { degrees, isoTime, xmlText, type TrackEncoder, type TrackPages } from './track-export';

const SCHEMA_ID = 'mandala_fix';

const ARRAYS: readonly { readonly name: string; readonly type: string; readonly label: string; readonly value: (f: EvaluatedFix) => string }[] = [
  { name: 'speed_kmh', type: 'float', label: 'Speed (km/h)', value: (f) => (f.speedKmh === null ? '' : String(f.speedKmh)) },
  { name: 'heading', type: 'float', label: 'Heading (°)', value: (f) => (f.headingDeg === null ? '' : String(f.headingDeg)) },
  { name: 'flag', type: 'string', label: 'Flagged by the fleet filters', value: (f) => f.flag ?? '' },
];

export const kmlEncoder: TrackEncoder = {
  mime: 'application/vnd.google-earth.kml+xml',
  extension: 'kml',
  head: () =>
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">\n' +
    '<Document><name>Mandala truck tracks</name>\n' +
    `<Schema id="${SCHEMA_ID}" name="${SCHEMA_ID}">` +
    ARRAYS.map((a) => `<gx:SimpleArrayField name="${a.name}" type="${a.type}"><displayName>${xmlText(a.label)}</displayName></gx:SimpleArrayField>`).join('') +
    '</Schema>\n',
  *track(t: TrackPages) {
    yield `<Placemark><name>${xmlText(t.truck)}</name><gx:Track>\n`;
    for (const page of t.pages()) yield page.map((f) => `<when>${isoTime(f.fixMs)}</when>\n`).join('');
    for (const page of t.pages()) yield page.map((f) => `<gx:coord>${degrees(f.lonE6)} ${degrees(f.latE6)} 0</gx:coord>\n`).join('');
    yield `<ExtendedData><SchemaData schemaUrl="#${SCHEMA_ID}">\n`;
    for (const a of ARRAYS) {
      yield `<gx:SimpleArrayData name="${a.name}">`;
      for (const page of t.pages()) yield page.map((f) => `<gx:value>${a.value(f)}</gx:value>`).join('');
      yield '</gx:SimpleArrayData>\n';
    }
    yield '</SchemaData></ExtendedData></gx:Track></Placemark>\n';
  },
  tail: () => '</Document>\n</kml>\n',
};
