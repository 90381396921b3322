// A user's own offline map file (PMTiles or MBTiles) as the node serves it to the console: what it
// holds (raster or vector, zooms, bounds) and its tiles by z/x/y (XYZ, y from the top).
import type { TileLayerDto } from '../../shared/api';

export interface Tile {
  readonly data: Uint8Array;
  readonly contentType: string;
  /** The tile's bytes are gzip-compressed (vector tiles usually are): sent as Content-Encoding. */
  readonly gzip: boolean;
}

export interface Tileset {
  /** What the console shows (its id is given by the library). */
  readonly info: Omit<TileLayerDto, 'id' | 'active'>;
  tile(z: number, x: number, y: number): Promise<Tile | null>;
  close(): void;
}

export const CONTENT_TYPE: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  pbf: 'application/x-protobuf',
  mvt: 'application/x-protobuf',
};

export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/** The vector layers a tileset's metadata names (TileJSON `vector_layers`), or none. */
export function vectorLayersOf(json: unknown): TileLayerDto['vectorLayers'] {
  const layers = (json as { vector_layers?: unknown } | null)?.vector_layers;
  if (!Array.isArray(layers)) return [];
  return layers.filter((l): l is { id: string } => typeof (l as { id?: unknown })?.id === 'string').map((l) => ({ id: l.id }));
}
