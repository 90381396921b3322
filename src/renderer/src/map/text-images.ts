// Text on the map without glyphs. A MapLibre text layer needs glyph files, and fetching them would
// be a network request, so every word the map shows (truck names, place names, cluster counts) is
// drawn on a canvas in the system's font the first time a layer asks for it, and placed as an
// icon. Icons take part in MapLibre's collision and priority like text does, so labels never
// overlap: the one that matters more is placed and the other is left out.
//
// An image id is `text:STYLE:TEXT`; layers build it with textImage().
import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { Theme } from '../theme/theme';

/** How a word is drawn: a truck's name plate (by freshness, or selected), a place name by rank, a cluster count. */
export type TextStyle = 'truck-fresh' | 'truck-aging' | 'truck-stale' | 'truck-selected' | `place-${0 | 1 | 2 | 3 | 4}` | 'count';

const PREFIX = 'text:';

/** The icon-image expression for `text` (an expression) drawn in `style` (a style name or an expression giving one). */
export function textImage(style: TextStyle | ExpressionSpecification, text: ExpressionSpecification): ExpressionSpecification {
  return ['concat', PREFIX, style, ':', ['to-string', text]];
}

interface Look {
  readonly font: string;
  readonly color: string;
  /** A name plate's fill and border, or none for halo text. */
  readonly plate?: { readonly fill: string; readonly border: string };
  /** A town's dot left of its name, with this radius. */
  readonly dot?: number;
  /** The outline round halo text and a town's dot, so they read over roads, trails and borders. */
  readonly halo: string;
}

const SANS = 'system-ui, "Segoe UI", "DejaVu Sans", sans-serif';

function looksFor(theme: Theme): Record<TextStyle, Look> {
  const dark = theme === 'dark';
  const halo = dark ? 'rgba(11,20,28,0.9)' : 'rgba(255,255,255,0.92)';
  const plate = dark ? { fill: 'rgba(12,17,22,0.86)', border: 'rgba(255,255,255,0.10)' } : { fill: 'rgba(255,255,255,0.92)', border: 'rgba(22,32,42,0.18)' };
  const place = dark ? ['#c3cfdb', '#b3c0cc', '#a3b0bd', '#919eab', '#808d9a'] : ['#1f2a35', '#2b3642', '#37434f', '#45515d', '#54606c'];
  return {
    'truck-fresh': { font: `600 11px ${SANS}`, color: dark ? '#e8eef5' : '#16202a', plate, halo },
    'truck-aging': { font: `600 11px ${SANS}`, color: dark ? '#d6c7a3' : '#7a5200', plate, halo },
    'truck-stale': { font: `600 11px ${SANS}`, color: dark ? '#7d8b99' : '#6f7b87', plate, halo },
    'truck-selected': { font: `700 11px ${SANS}`, color: dark ? '#ffffff' : '#0b1218', plate: dark ? { fill: 'rgba(12,17,22,0.95)', border: '#ffffff' } : { fill: '#ffffff', border: '#0b1218' }, halo },
    'place-0': { font: `600 13px ${SANS}`, color: place[0]!, dot: 3.5, halo },
    'place-1': { font: `600 12px ${SANS}`, color: place[1]!, dot: 3, halo },
    'place-2': { font: `500 12px ${SANS}`, color: place[2]!, dot: 2.5, halo },
    'place-3': { font: `500 11px ${SANS}`, color: place[3]!, dot: 2, halo },
    'place-4': { font: `400 11px ${SANS}`, color: place[4]!, dot: 2, halo },
    // On a cluster's coloured bubble, in either theme.
    count: { font: `600 11px ${SANS}`, color: '#ffffff', halo: 'rgba(11,20,28,0.6)' },
  };
}

const STYLES = new Set<string>(Object.keys(looksFor('dark')));

/** Where a town's dot sits in its image, in CSS pixels from the left edge (layers offset by it). */
export const PLACE_DOT_X = 5;

function parse(id: string): { style: TextStyle; text: string } | null {
  if (!id.startsWith(PREFIX)) return null;
  const rest = id.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return null;
  const style = rest.slice(0, colon);
  return STYLES.has(style) ? { style: style as TextStyle, text: rest.slice(colon + 1) } : null;
}

function draw(map: MapLibreMap, id: string, look: Look, text: string): void {
  const scale = Math.max(1, Math.min(2, window.devicePixelRatio || 1));
  const canvas = document.createElement('canvas');
  // Read back at once: a canvas kept in memory, not on the GPU (a GPU read-back costs milliseconds).
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return;
  ctx.font = look.font;
  const textWidth = Math.ceil(ctx.measureText(text).width);
  const padX = look.plate ? 5 : 2;
  const textX = look.dot ? PLACE_DOT_X + look.dot + 4 : padX;
  const width = textX + textWidth + padX;
  const height = look.plate ? 17 : 16;
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  ctx.scale(scale, scale);
  if (look.plate) {
    ctx.fillStyle = look.plate.fill;
    ctx.strokeStyle = look.plate.border;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.roundRect(0.5, 0.5, width - 1, height - 1, 3);
    ctx.fill();
    ctx.stroke();
  }
  if (look.dot) {
    ctx.beginPath();
    ctx.arc(PLACE_DOT_X, height / 2, look.dot, 0, Math.PI * 2);
    ctx.fillStyle = look.color;
    ctx.strokeStyle = look.halo;
    ctx.lineWidth = 1.5;
    ctx.stroke();
    ctx.fill();
  }
  ctx.font = look.font;
  ctx.textBaseline = 'middle';
  if (!look.plate) {
    ctx.strokeStyle = look.halo;
    ctx.lineWidth = 3;
    ctx.lineJoin = 'round';
    ctx.strokeText(text, textX, height / 2 + 0.5);
  }
  ctx.fillStyle = look.color;
  ctx.fillText(text, textX, height / 2 + 0.5);
  map.addImage(id, ctx.getImageData(0, 0, canvas.width, canvas.height), { pixelRatio: scale });
}

/** Place names drawn and kept at most (the oldest are dropped, and drawn again if asked for). */
const MAX_PLACE_IMAGES = 2000;

/** The map's words, drawn in the current theme's colours. */
export interface MapText {
  /** Redraws every word shown in `theme` (MapLibre asks for each again once its image is gone). */
  setTheme(theme: Theme): void;
}

/**
 * Draws each `text:` image the first time a layer asks for it, before that layout goes on (a
 * `styleimagemissing` listener would only serve the next one: a static layer such as the place
 * names would then never show).
 */
export function drawTextOnDemand(map: MapLibreMap, theme: Theme): MapText {
  let looks = looksFor(theme);
  let current = theme;
  // Panning the world at town zoom would otherwise keep an image of every town ever shown.
  const places = new Set<string>();
  const drawn = new Set<string>();
  map.setMissingStyleImageResolver((id) => {
    const wanted = parse(id);
    if (!wanted || map.hasImage(id)) return;
    draw(map, id, looks[wanted.style], wanted.text);
    drawn.add(id);
    if (!wanted.style.startsWith('place-')) return;
    places.add(id);
    for (const old of places) {
      if (places.size <= MAX_PLACE_IMAGES) break;
      places.delete(old);
      drawn.delete(old);
      if (map.hasImage(old)) map.removeImage(old);
    }
  });
  return {
    setTheme(next) {
      if (next === current) return;
      current = next;
      looks = looksFor(next);
      for (const id of drawn) if (map.hasImage(id)) map.removeImage(id);
      drawn.clear();
      places.clear();
    },
  };
}
