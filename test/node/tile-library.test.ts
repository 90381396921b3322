// PROVES: a user's own map files are served as the map asks for them: an MBTiles file's TMS rows
//         are flipped to XYZ (the tile written for z/x/y is the one served at z/x/y), a PMTiles
//         archive is read in byte ranges with its header and metadata as the `pmtiles` library
//         reads them, vector tiles go out as the map can read them (an MBTiles file's gzip as
//         Content-Encoding, a PMTiles archive's undone) with their layers named, an absent tile is
//         204 and a bad path 400; a file that is missing, a folder, not a tileset, or an SQLite
//         file without MBTiles tables stops the start with a sentence naming it.
// CATCHES: a map upside down in MBTiles (the classic TMS bug), a vector file drawn blank because its
//          tiles were sent without Content-Encoding, a typo in --tiles that starts a node with no map.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { PNG } from 'pngjs';
import { PMTiles, TileType } from 'pmtiles';
import { afterAll, describe, expect, it } from 'vitest';
import { isMandalaError } from '../../src/node/errors';
import { TileLibrary } from '../../src/node/tiles/tile-library';
import { coveringVectorTile, solidPng, writeMbtiles, writePmtiles, type FixtureTile } from '../support/tilesets';

const root = mkdtempSync(join(tmpdir(), 'mandala-tiles-'));
const COLORS: Record<string, [number, number, number]> = { '1/0/0': [200, 30, 30], '1/1/0': [30, 200, 30], '1/0/1': [30, 30, 200], '1/1/1': [200, 200, 30] };
const zoomOne: FixtureTile[] = Object.entries(COLORS).map(([k, rgb]) => {
  const [z, x, y] = k.split('/').map(Number) as [number, number, number];
  return { z, x, y, data: solidPng(rgb, 8) };
});
const pixel = (data: Uint8Array) => {
  const png = PNG.sync.read(Buffer.from(data));
  return [png.data[0], png.data[1], png.data[2]];
};
const opened: TileLibrary[] = [];
afterAll(() => opened.forEach((l) => l.close()));

async function library(paths: string[]): Promise<TileLibrary> {
  const l = await TileLibrary.open(paths);
  opened.push(l);
  return l;
}

describe('the tile library', () => {
  it('mbtiles_rows_are_flipped_to_xyz_and_metadata_read', async () => {
    const file = join(root, 'Camp Area.mbtiles');
    writeMbtiles(file, zoomOne, { name: 'Camp area', format: 'png', minzoom: '1', maxzoom: '1', bounds: '33.9,-4.7,41.9,5.0', center: '37.9,0.1,1', attribution: 'Survey 2026' });
    const lib = await library([file]);
    expect(lib.layers()).toEqual({
      active: 'camp-area',
      layers: [{ id: 'camp-area', active: true, name: 'Camp area', file: 'Camp Area.mbtiles', container: 'mbtiles', kind: 'raster', format: 'png', minZoom: 1, maxZoom: 1, bounds: [33.9, -4.7, 41.9, 5], center: [37.9, 0.1, 1], attribution: 'Survey 2026', vectorLayers: [] }],
    });
    for (const [key, rgb] of Object.entries(COLORS)) {
      const r = await lib.tileAt(`camp-area/${key}`);
      expect(r.status, key).toBe(200);
      if (r.status !== 200) continue;
      expect(r.tile.contentType).toBe('image/png');
      expect(pixel(r.tile.data), `tile ${key}`).toEqual(rgb);
    }
    expect((await lib.tileAt('camp-area/1/0/0.png')).status, 'an extension on y is allowed').toBe(200);
    expect((await lib.tileAt('camp-area/2/0/0')).status, 'absent: empty').toBe(204);
    expect((await lib.tileAt('camp-area/1/2/0')).status, 'x out of the zoom').toBe(400);
    expect((await lib.tileAt('camp-area/../../etc')).status).toBe(400);
    expect((await lib.tileAt('elsewhere/1/0/0')).status).toBe(404);
  });

  it('pmtiles_raster_and_vector_read_by_byte_ranges', async () => {
    const raster = join(root, 'raster.pmtiles');
    writePmtiles(raster, zoomOne, { tileType: TileType.Png, tileCompression: 1, bounds: [-180, -85, 180, 85], metadata: { name: 'World raster' } });
    const vector = join(root, 'roads.pmtiles');
    const vtiles = [0, 1].flatMap((x) => [0, 1].map((y) => ({ z: 1, x, y, data: coveringVectorTile('areas', 1, x, y) })));
    writePmtiles(vector, vtiles, { tileType: TileType.Mvt, tileCompression: 2, bounds: [-180, -85, 180, 85], metadata: { name: 'Areas', vector_layers: [{ id: 'areas', fields: {} }] } });
    // The fixture is a real archive: the library's own reader agrees.
    const check = await new PMTiles(new (await import('pmtiles')).FileSource(new File([readFileSync(raster)], 'raster.pmtiles'))).getHeader();
    expect([check.specVersion, check.numAddressedTiles, check.minZoom, check.maxZoom]).toEqual([3, 4, 1, 1]);

    const lib = await library([raster, vector, raster]);
    const { layers } = lib.layers();
    expect(layers.map((l) => [l.id, l.kind, l.format, l.active])).toEqual([
      ['raster', 'raster', 'png', true],
      ['roads', 'vector', 'pbf', false],
      ['raster-2', 'raster', 'png', false],
    ]);
    expect(layers[1]!.vectorLayers).toEqual([{ id: 'areas' }]);
    for (const [key, rgb] of Object.entries(COLORS)) {
      const r = await lib.tileAt(`raster/${key}`);
      expect(r.status === 200 && pixel(r.tile.data), key).toEqual(rgb);
    }
    const v = await lib.tileAt('roads/1/1/0');
    expect(v.status).toBe(200);
    if (v.status === 200) {
      // The archive's gzip is undone by the library: the tile goes out as plain protobuf.
      expect(v.tile).toMatchObject({ contentType: 'application/x-protobuf', gzip: false });
      expect(Buffer.from(v.tile.data).equals(gunzipSync(vtiles.find((t) => t.x === 1 && t.y === 0)!.data))).toBe(true);
    }
    expect((await lib.tileAt('roads/0/0/0')).status).toBe(204);
  });

  it('mbtiles_vector_tiles_go_out_with_content_encoding_gzip', async () => {
    const file = join(root, 'areas.mbtiles');
    const tile = coveringVectorTile('areas', 1, 1, 0);
    writeMbtiles(file, [{ z: 1, x: 1, y: 0, data: tile }], { name: 'Areas', format: 'pbf', json: JSON.stringify({ vector_layers: [{ id: 'areas', fields: {} }] }) });
    const lib = await library([file]);
    expect(lib.layers().layers[0]).toMatchObject({ kind: 'vector', format: 'pbf', vectorLayers: [{ id: 'areas' }], minZoom: 1, maxZoom: 1 });
    const r = await lib.tileAt('areas/1/1/0');
    expect(r.status === 200 && r.tile.gzip).toBe(true);
    expect(r.status === 200 && Buffer.from(r.tile.data).equals(Buffer.from(tile))).toBe(true);
  });

  it('files_that_cannot_be_a_map_are_named', async () => {
    const folder = join(root, 'a-folder');
    mkdirSync(folder);
    const text = join(root, 'notes.mbtiles');
    writeFileSync(text, 'not a map\n');
    const plain = join(root, 'plain.mbtiles');
    new Database(plain).exec('CREATE TABLE t (a)').close();
    const cases: [string, string, RegExp][] = [
      [join(root, 'missing.pmtiles'), 'tiles_not_found', /missing\.pmtiles: no such file/],
      [folder, 'tiles_not_a_file', /is a folder; give a \.pmtiles or \.mbtiles file/],
      [text, 'tiles_unknown_format', /is neither a PMTiles \(v3\) nor an MBTiles file/],
      [plain, 'tiles_unreadable', /SQLite file without the metadata table of an MBTiles file/],
    ];
    for (const [path, code, message] of cases) {
      const e = await TileLibrary.open([path]).catch((x: unknown) => x);
      expect(isMandalaError(e) && e.code, path).toBe(code);
      expect((e as Error).message).toMatch(message);
    }
  });
});
