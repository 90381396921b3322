// The renderer is served on the mandala-app: scheme (Electron's checklist, item 18: not file://),
// from the built renderer folder only, with the same Content-Security-Policy as index.html's.
// The user's map tiles have their own scheme (tile-protocol.ts).
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_SCHEME, appFile } from './security-policy';
import { TILE_SCHEME } from './tile-protocol';

/** Before the app is ready: both schemes behave like https for fetch, workers and CSP. */
export function registerSchemes(): void {
  const privileges = { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true };
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges },
    { scheme: TILE_SCHEME, privileges },
  ]);
}

export function handleAppFiles(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appFile(rendererDir, request.url);
    if (!file) return new Response('not found', { status: 404 });
    try {
      return new Response(await readFile(file.path), { headers: { 'Content-Type': file.type, 'X-Content-Type-Options': 'nosniff' } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
