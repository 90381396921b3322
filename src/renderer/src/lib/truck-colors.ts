// One colour per truck, so a trail on the map can be matched to its row in the list. Colours come
// from a hash of the truck id (stable across reloads and across consoles), with collisions moved
// to the next free colour so the first trucks are always distinct.

/** Chosen to read on the dark basemap and to stay clear of the freshness green/amber/grey. */
const PALETTE = [
  '#5aa9ff', '#ff7eb6', '#c792ff', '#4dd8e6', '#ff9b54', '#a3e05c', '#ffd166', '#7b8cff',
  '#ff6b6b', '#56e3b0', '#e08aff', '#8fd0ff', '#ffb3c6', '#c6e377', '#f4a261', '#9ad1d4',
] as const;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Colours for every truck in the set; the same set always yields the same colours. */
export function assignTruckColors(truckIds: readonly string[]): ReadonlyMap<string, string> {
  const colors = new Map<string, string>();
  const taken = new Set<number>();
  for (const id of [...truckIds].sort()) {
    const start = hash(id) % PALETTE.length;
    let slot = start;
    while (taken.has(slot) && taken.size < PALETTE.length) slot = (slot + 1) % PALETTE.length;
    if (taken.size < PALETTE.length) {
      taken.add(slot);
      colors.set(id, PALETTE[slot]!);
    } else {
      // More trucks than palette entries: spread the rest around the hue wheel.
      colors.set(id, `hsl(${hash(id) % 360} 70% 65%)`);
    }
  }
  return colors;
}
