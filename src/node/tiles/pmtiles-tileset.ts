// A PMTiles v3 archive read in byte ranges from the file (the `pmtiles` library does the header,
// directories and the decompression of directories and tiles; this file only reads bytes where
// it is asked to, and gunzips with node:zlib).
import { open, type FileHandle } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { basename } from 'node:path';
import { Compression, PMTiles, TileType, type Source } from 'pmtiles';
import { CONTENT_TYPE, vectorLayersOf, type Tileset } from './tileset';

class FileRangeSource implements Source {
  constructor(
    private readonly file: FileHandle,
    private readonly path: string,
  ) {}

  getKey(): string {
    return this.path;
  }

  async getBytes(offset: number, length: number): Promise<{ data: ArrayBuffer }> {
    const buf = new Uint8Array(length);
    const { bytesRead } = await this.file.read(buf, 0, length, offset);
    return { data: buf.buffer.slice(0, bytesRead) };
  }
}

async function decompress(buf: ArrayBuffer, compression: Compression): Promise<ArrayBuffer> {
  if (compression === Compression.None || compression === Compression.Unknown) return buf;
  if (compression === Compression.Gzip) {
    const out = gunzipSync(new Uint8Array(buf));
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  }
  throw new Error(`its directories use compression ${Compression[compression]}, which this node does not read (gzip or none)`);
}

const EXTENSION: Partial<Record<TileType, string>> = { [TileType.Mvt]: 'pbf', [TileType.Png]: 'png', [TileType.Jpeg]: 'jpg', [TileType.Webp]: 'webp', [TileType.Avif]: 'avif' };

export async function openPmtiles(path: string): Promise<Tileset> {
  const file = await open(path, 'r');
  try {
    const archive = new PMTiles(new FileRangeSource(file, path), undefined, decompress);
    const h = await archive.getHeader();
    const format = EXTENSION[h.tileType];
    if (!format) throw new Error(`its tiles are of a type this console does not draw (${TileType[h.tileType] ?? h.tileType})`);
    if (h.tileCompression !== Compression.None && h.tileCompression !== Compression.Gzip && h.tileCompression !== Compression.Unknown) {
      throw new Error(`its tiles are compressed with ${Compression[h.tileCompression]}; re-encode it with gzip (pmtiles convert)`);
    }
    const meta = (await archive.getMetadata()) as Record<string, unknown> | null;
    return {
      info: {
        name: typeof meta?.['name'] === 'string' ? meta['name'] : basename(path),
        file: basename(path),
        container: 'pmtiles',
        kind: format === 'pbf' ? 'vector' : 'raster',
        format,
        minZoom: h.minZoom,
        maxZoom: h.maxZoom,
        bounds: [h.minLon, h.minLat, h.maxLon, h.maxLat],
        center: [h.centerLon, h.centerLat, h.centerZoom],
        attribution: typeof meta?.['attribution'] === 'string' ? meta['attribution'] : null,
        vectorLayers: vectorLayersOf(meta),
      },
      async tile(z, x, y) {
        const r = await archive.getZxy(z, x, y);
        if (!r) return null;
        // The library hands tiles over decompressed (with `decompress` above).
        return { data: new Uint8Array(r.data), contentType: CONTENT_TYPE[format]!, gzip: false };
      },
      close: () => void file.close(),
    };
  } catch (e) {
    await file.close();
    throw e;
  }
}
