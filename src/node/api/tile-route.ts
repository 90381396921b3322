// GET /tiles/ID/Z/X/Y: a tile of the user's own map file, for the console's map. Tiles never
// change while the node runs, so the browser may keep them; an absent tile is 204 (MapLibre
// draws nothing there), a bad path 400, an unknown layer 404, a file that fails to read 500.
import type { ServerResponse } from 'node:http';
import type { TileLibrary } from '../tiles/tile-library';

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: { code, message } }));
}

export function serveTile(tiles: TileLibrary | null, rest: string, res: ServerResponse): void {
  if (!tiles) return fail(res, 404, 'no_tiles', 'this node serves no map files (start it with --tiles FILE)');
  tiles.tileAt(rest).then(
    (r) => {
      if (r.status === 204) return void res.writeHead(204, { 'Cache-Control': 'max-age=3600' }).end();
      if (r.status !== 200) return fail(res, r.status, r.status === 404 ? 'tile_layer_unknown' : 'bad_tile_path', r.message);
      res.writeHead(200, {
        'Content-Type': r.tile.contentType,
        'Content-Length': r.tile.data.byteLength,
        'Cache-Control': 'max-age=3600',
        ...(r.tile.gzip ? { 'Content-Encoding': 'gzip' } : {}),
      });
      res.end(r.tile.data);
    },
    (e: unknown) => fail(res, 500, 'tile_unreadable', `the map file could not be read: ${(e as Error).message}`),
  );
}
