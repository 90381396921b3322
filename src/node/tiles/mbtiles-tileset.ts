// An MBTiles file (SQLite; mapbox/mbtiles-spec 1.3) opened read-only. Its rows count from the
// bottom (TMS), so XYZ y is flipped: tile_row = 2^z - 1 - y.
import Database from 'better-sqlite3';
import { basename } from 'node:path';
import { CONTENT_TYPE, isGzip, vectorLayersOf, type Tileset } from './tileset';

function numbers(text: string | undefined, n: number): number[] | null {
  if (!text) return null;
  const parts = text.split(',').map((p) => Number(p.trim()));
  return parts.length === n && parts.every(Number.isFinite) ? parts : null;
}

export function openMbtiles(path: string): Tileset {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    let meta: Map<string, string>;
    try {
      meta = new Map((db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]).map((r) => [r.name, r.value]));
    } catch {
      throw new Error('it is an SQLite file without the metadata table of an MBTiles file');
    }
    const lookup = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?').pluck();
    const zooms = db.prepare('SELECT MIN(zoom_level) AS lo, MAX(zoom_level) AS hi FROM tiles').get() as { lo: number | null; hi: number | null };
    const format = (meta.get('format') ?? 'png').toLowerCase();
    if (!CONTENT_TYPE[format]) throw new Error(`its tiles are "${format}", which this console does not draw (png, jpg, webp or pbf)`);
    let json: unknown = null;
    try {
      json = meta.has('json') ? JSON.parse(meta.get('json')!) : null;
    } catch {
      json = null;
    }
    const bounds = numbers(meta.get('bounds'), 4);
    const center = numbers(meta.get('center'), 3);
    return {
      info: {
        name: meta.get('name') ?? basename(path),
        file: basename(path),
        container: 'mbtiles',
        kind: format === 'pbf' || format === 'mvt' ? 'vector' : 'raster',
        format,
        minZoom: Number(meta.get('minzoom') ?? zooms.lo ?? 0),
        maxZoom: Number(meta.get('maxzoom') ?? zooms.hi ?? 14),
        bounds: bounds as [number, number, number, number] | null,
        center: center as [number, number, number] | null,
        attribution: meta.get('attribution') ?? null,
        vectorLayers: vectorLayersOf(json),
      },
      tile(z, x, y) {
        const data = lookup.get(z, x, (1 << z) - 1 - y) as Buffer | undefined;
        if (!data) return Promise.resolve(null);
        const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        return Promise.resolve({ data: bytes, contentType: CONTENT_TYPE[format]!, gzip: isGzip(bytes) });
      },
      close: () => db.close(),
    };
  } catch (e) {
    db.close();
    throw e;
  }
}
