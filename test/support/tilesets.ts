// Test fixtures: real map files a user might bring, written the way their tools write them.
// - raster tiles: solid-colour PNGs (pngjs), so a test can find the colour in the map's pixels;
// - vector tiles: one polygon over the whole tile (geojson-vt cut, vt-pbf encoded), gzipped as
//   tippecanoe does;
// - MBTiles 1.3 (SQLite, TMS rows: tile_row = 2^z - 1 - y);
// - PMTiles v3 (header, one root directory, JSON metadata, tile data), its layout read back with
//   the `pmtiles` library by the tests.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import GeoJSONVT from 'geojson-vt';
import { PNG } from 'pngjs';
import { zxyToTileId } from 'pmtiles';
import { fromGeojsonVt } from 'vt-pbf';

export interface FixtureTile {
  readonly z: number;
  readonly x: number;
  readonly y: number;
  readonly data: Uint8Array;
}

export function solidPng(rgb: readonly [number, number, number], size = 256): Uint8Array {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) png.data.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
  return new Uint8Array(PNG.sync.write(png));
}

/** The XYZ tiles covering [west, south, east, north] at zoom z. */
export function tilesCovering(bounds: readonly [number, number, number, number], z: number): { x: number; y: number }[] {
  const n = 2 ** z;
  const tx = (lon: number) => Math.min(n - 1, Math.floor(((lon + 180) / 360) * n));
  const ty = (lat: number) => Math.min(n - 1, Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * n));
  const out: { x: number; y: number }[] = [];
  for (let x = tx(bounds[0]); x <= tx(bounds[2]); x++) for (let y = ty(bounds[3]); y <= ty(bounds[1]); y++) out.push({ x, y });
  return out;
}

/** A gzipped vector tile whose layer `layer` holds one polygon covering the tile at z/x/y. */
export function coveringVectorTile(layer: string, z: number, x: number, y: number): Uint8Array {
  const n = 2 ** z;
  const lon = (tx: number) => (tx / n) * 360 - 180;
  const lat = (ty: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI;
  const pad = 0.01;
  const ring = [
    [lon(x - pad), lat(y - pad)],
    [lon(x + 1 + pad), lat(y - pad)],
    [lon(x + 1 + pad), lat(y + 1 + pad)],
    [lon(x - pad), lat(y + 1 + pad)],
    [lon(x - pad), lat(y - pad)],
  ];
  const index = new GeoJSONVT({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kind: 'area' }, geometry: { type: 'Polygon', coordinates: [ring] } }] }, { maxZoom: z, indexMaxZoom: z });
  const tile = index.getTile(z, x, y);
  if (!tile) throw new Error(`geojson-vt made no tile at ${z}/${x}/${y}`);
  return new Uint8Array(gzipSync(fromGeojsonVt({ [layer]: tile }, { version: 2 })));
}

export function writeMbtiles(path: string, tiles: readonly FixtureTile[], metadata: Record<string, string>): void {
  const db = new Database(path);
  db.exec('CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB); CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);');
  const meta = db.prepare('INSERT INTO metadata VALUES (?, ?)');
  for (const [k, v] of Object.entries(metadata)) meta.run(k, v);
  const put = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const t of tiles) put.run(t.z, t.x, (1 << t.z) - 1 - t.y, Buffer.from(t.data));
  })();
  db.close();
}

function varints(values: readonly number[]): Buffer {
  const out: number[] = [];
  for (let v of values) {
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
  }
  return Buffer.from(out);
}

export interface PmtilesOptions {
  /** pmtiles TileType: 1 MVT, 2 PNG. */
  readonly tileType: number;
  /** pmtiles Compression of the tiles: 1 none, 2 gzip. */
  readonly tileCompression: number;
  readonly bounds: readonly [number, number, number, number];
  readonly metadata: Record<string, unknown>;
}

export function writePmtiles(path: string, tiles: readonly FixtureTile[], o: PmtilesOptions): void {
  const sorted = tiles.map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), t })).sort((a, b) => a.id - b.id);
  const offsets: number[] = [];
  let at = 0;
  for (const s of sorted) {
    offsets.push(at);
    at += s.t.data.byteLength;
  }
  // Root directory: count, tile id deltas, run lengths, lengths, offsets (0 = right after the previous one).
  const ids = sorted.map((s, i) => s.id - (i === 0 ? 0 : sorted[i - 1]!.id));
  const dir = Buffer.concat([varints([sorted.length]), varints(ids), varints(sorted.map(() => 1)), varints(sorted.map((s) => s.t.data.byteLength)), varints(sorted.map((_, i) => (i === 0 ? offsets[0]! + 1 : 0)))]);
  const meta = Buffer.from(JSON.stringify(o.metadata));
  const data = Buffer.concat(sorted.map((s) => Buffer.from(s.t.data)));
  const h = Buffer.alloc(127);
  h.write('PMTiles', 0, 'latin1');
  h.writeUInt8(3, 7);
  const u64 = (off: number, v: number) => h.writeBigUInt64LE(BigInt(v), off);
  const rootAt = 127;
  const metaAt = rootAt + dir.length;
  const dataAt = metaAt + meta.length;
  u64(8, rootAt);
  u64(16, dir.length);
  u64(24, metaAt);
  u64(32, meta.length);
  u64(40, dataAt);
  u64(48, 0);
  u64(56, dataAt);
  u64(64, data.length);
  u64(72, sorted.length);
  u64(80, sorted.length);
  u64(88, sorted.length);
  h.writeUInt8(1, 96); // clustered
  h.writeUInt8(1, 97); // internal compression: none
  h.writeUInt8(o.tileCompression, 98);
  h.writeUInt8(o.tileType, 99);
  const zooms = tiles.map((t) => t.z);
  h.writeUInt8(Math.min(...zooms), 100);
  h.writeUInt8(Math.max(...zooms), 101);
  const e7 = (deg: number) => Math.round(deg * 1e7);
  h.writeInt32LE(e7(o.bounds[0]), 102);
  h.writeInt32LE(e7(o.bounds[1]), 106);
  h.writeInt32LE(e7(o.bounds[2]), 110);
  h.writeInt32LE(e7(o.bounds[3]), 114);
  h.writeUInt8(Math.max(...zooms), 118);
  h.writeInt32LE(e7((o.bounds[0] + o.bounds[2]) / 2), 119);
  h.writeInt32LE(e7((o.bounds[1] + o.bounds[3]) / 2), 123);
  writeFileSync(path, Buffer.concat([h, dir, meta, data]));
}
