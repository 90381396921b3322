// The user's offline map files a node serves (`mandala serve --tiles FILE`, repeatable): each opened
// once at start (a file that is missing or not a tileset stops the start with a sentence), named
// by an id made from its file name, and its tiles answered at /tiles/ID/Z/X/Y over HTTP (and the
// Electron app's mandala-tiles: protocol). The first file given is the basemap the console opens with.
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { TileLayerDto, TileLayersDto } from '../../shared/api';
import { MandalaError } from '../errors';
import { openMbtiles } from './mbtiles-tileset';
import { openPmtiles } from './pmtiles-tileset';
import type { Tile, Tileset } from './tileset';

const SQLITE_MAGIC = 'SQLite format 3\0';
const PMTILES_MAGIC = 'PMTiles';

function magicOf(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return buf.subarray(0, n).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function slug(path: string, taken: ReadonlySet<string>): string {
  const base = basename(path, extname(path)).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'tiles';
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  return id;
}

async function openTileset(path: string): Promise<Tileset> {
  if (!existsSync(path)) throw new MandalaError('tiles_not_found', `--tiles ${path}: no such file`);
  if (!statSync(path).isFile()) throw new MandalaError('tiles_not_a_file', `--tiles ${path} is a folder; give a .pmtiles or .mbtiles file`);
  const magic = magicOf(path);
  try {
    if (magic.startsWith(PMTILES_MAGIC)) return await openPmtiles(path);
    if (magic.startsWith(SQLITE_MAGIC)) return openMbtiles(path);
  } catch (e) {
    throw new MandalaError('tiles_unreadable', `--tiles ${path} cannot be used: ${(e as Error).message}`);
  }
  throw new MandalaError('tiles_unknown_format', `--tiles ${path} is neither a PMTiles (v3) nor an MBTiles file; convert it with pmtiles convert or tippecanoe`);
}

export class TileLibrary {
  private constructor(private readonly sets: Map<string, Tileset>) {}

  static async open(paths: readonly string[]): Promise<TileLibrary> {
    const sets = new Map<string, Tileset>();
    try {
      for (const path of paths) {
        const set = await openTileset(path);
        sets.set(slug(path, new Set(sets.keys())), set);
      }
    } catch (e) {
      for (const s of sets.values()) s.close();
      throw e;
    }
    return new TileLibrary(sets);
  }

  /** Opens one more file (the desktop app's "Open map file…"); it becomes the active basemap's candidate. */
  async add(path: string): Promise<TileLayerDto> {
    const set = await openTileset(path);
    const id = slug(path, new Set(this.sets.keys()));
    this.sets.set(id, set);
    return this.layers().layers.find((l) => l.id === id)!;
  }

  static empty(): TileLibrary {
    return new TileLibrary(new Map());
  }

  layers(): TileLayersDto {
    const layers: TileLayerDto[] = [...this.sets].map(([id, s], i) => ({ id, active: i === 0, ...s.info }));
    return { layers, active: layers[0]?.id ?? null };
  }

  /** A tile by the path after /tiles/ ("ID/Z/X/Y", an extension allowed on Y); null when the set or tile is not there. */
  async tileAt(rest: string): Promise<{ readonly status: 200; readonly tile: Tile } | { readonly status: 204 | 400 | 404; readonly message: string }> {
    const m = /^([a-z0-9_-]+)\/(\d{1,2})\/(\d{1,8})\/(\d{1,8})(?:\.[a-z]{3,4})?$/.exec(rest);
    if (!m) return { status: 400, message: 'a tile is /tiles/ID/Z/X/Y' };
    const set = this.sets.get(m[1]!);
    if (!set) return { status: 404, message: `no tile layer "${m[1]}" on this node` };
    const [z, x, y] = [Number(m[2]), Number(m[3]), Number(m[4])];
    if (z > 30 || x >= 2 ** z || y >= 2 ** z) return { status: 400, message: `tile ${z}/${x}/${y} does not exist at zoom ${z}` };
    const tile = await set.tile(z, x, y);
    return tile ? { status: 200, tile } : { status: 204, message: 'no tile there' };
  }

  close(): void {
    for (const s of this.sets.values()) s.close();
  }
}
