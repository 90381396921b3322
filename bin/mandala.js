#!/usr/bin/env node
// Entry point for `npx mandala`: runs the built CLI bundle (npm install builds it).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'cli', 'mandala.js');
if (!existsSync(bundle)) {
  process.stderr.write('mandala: the CLI is not built yet; run `npm run build` (npm install does it for you)\n');
  process.exit(2);
}
await import(pathToFileURL(bundle).href);
