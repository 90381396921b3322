// The user's map files in the desktop app: tiles answered on the mandala-tiles: scheme (the
// renderer never gets file:// or a port), and "Open map file…" in the File menu. Tiles are sent
// plain: a custom protocol's responses are not content-decoded, so gzipped ones are gunzipped here.
import { dialog, protocol, type BrowserWindow } from 'electron';
import { gunzipSync } from 'node:zlib';
import { IPC_PUSH_CHANNEL } from '../shared/api';
import { isMandalaError } from '../node/errors';
import type { TileLibrary } from '../node/tiles/tile-library';

export const TILE_SCHEME = 'mandala-tiles';

export function handleTiles(tiles: TileLibrary): void {
  protocol.handle(TILE_SCHEME, async (request) => {
    const url = new URL(request.url);
    const r = await tiles.tileAt(`${url.host}${url.pathname}`);
    if (r.status === 204) return new Response(null, { status: 204 });
    if (r.status !== 200) return new Response(r.message, { status: r.status });
    const body = r.tile.gzip ? gunzipSync(r.tile.data) : r.tile.data;
    return new Response(new Uint8Array(body), { headers: { 'Content-Type': r.tile.contentType } });
  });
}

/** File → Open map file…: a PMTiles or MBTiles file joins the map layers. */
export async function openMapFile(win: BrowserWindow, tiles: TileLibrary): Promise<void> {
  const picked = await dialog.showOpenDialog(win, { title: 'Open a map file', properties: ['openFile'], filters: [{ name: 'Offline maps', extensions: ['pmtiles', 'mbtiles'] }] });
  const path = picked.filePaths[0];
  if (picked.canceled || !path) return;
  try {
    await tiles.add(path);
    win.webContents.send(IPC_PUSH_CHANNEL, 'layers', tiles.layers());
  } catch (e) {
    await dialog.showMessageBox(win, { type: 'error', message: 'This file cannot be used as a map', detail: isMandalaError(e) ? e.message : String(e) });
  }
}
