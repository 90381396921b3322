// Keeps a GeoJSON source in step with a keyed set of features by sending only what changed
// (MapLibre's updateData), so a fleet of 5,000 trucks where 50 reported re-sends 50 features
// to the map's worker, not 5,000. Each feature has an id and a signature: the values it is drawn
// from, compared one by one with ===; a feature whose signature is unchanged is not rebuilt.
import type { Feature } from 'geojson';
import type { GeoJSONSource, GeoJSONSourceDiff } from 'maplibre-gl';

export interface KeyedFeature {
  readonly id: string;
  readonly signature: readonly unknown[];
  make(): Feature;
}

const same = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

export class SourceDiff {
  private held = new Map<string, readonly unknown[]>();

  /** What to send to bring the source from what it was last given to `next`; null when nothing changed. */
  diff(next: Iterable<KeyedFeature>): GeoJSONSourceDiff | null {
    const kept = new Map<string, readonly unknown[]>();
    const add: Feature[] = [];
    const remove: string[] = [];
    for (const f of next) {
      const before = this.held.get(f.id);
      kept.set(f.id, f.signature);
      if (before && same(before, f.signature)) continue;
      if (before) remove.push(f.id);
      add.push(f.make());
    }
    for (const id of this.held.keys()) if (!kept.has(id)) remove.push(id);
    this.held = kept;
    return add.length === 0 && remove.length === 0 ? null : { remove, add };
  }

  /** Sends the change to the source; resolves once the map's worker holds it (null: nothing to send). */
  apply(source: GeoJSONSource | undefined, next: Iterable<KeyedFeature>): Promise<void> | null {
    if (!source) return null;
    const change = this.diff(next);
    return change ? source.updateData(change) : null;
  }

  /** The source was emptied or replaced: the next diff adds everything. */
  reset(): void {
    this.held = new Map();
  }
}
