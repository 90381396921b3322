// The desktop app's security decisions, as plain functions and constants without Electron, so
// tests run them under Node (docs/security.md lists Electron's checklist item by item):
//   - the renderer's web preferences (context isolation, sandbox, no Node, web security on);
//   - the app's own origin (the mandala-app: scheme, never file://) and which frames may call IPC;
//   - navigation, new windows and shell.openExternal: what may leave the app;
//   - permission requests: all refused.
import { extname, join, normalize, sep } from 'node:path';

export const APP_SCHEME = 'mandala-app';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** Everything but the preload's path. Never nodeIntegration, never a webview, never insecure content. */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** The renderer's own pages: the app scheme, or the dev server while developing. */
export function isAppUrl(url: string, devUrl?: string): boolean {
  if (devUrl && url.startsWith(devUrl)) return true;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app';
  } catch {
    return false;
  }
}

/** A frame may call the node only when it shows the app's own page. */
export function isTrustedSender(frameUrl: string | undefined, devUrl?: string): boolean {
  return frameUrl !== undefined && isAppUrl(frameUrl, devUrl);
}

/** Navigation away from the app is refused (an in-page hash change does not navigate). */
export function navigationAllowed(url: string, devUrl?: string): boolean {
  return isAppUrl(url, devUrl);
}

/**
 * What a link that asks for a new window may do: nothing, unless it is a plain https:// page,
 * which opens in the user's browser (never file:, smb:, javascript:, custom schemes or
 * credentials in the URL). The console itself links nowhere; this is for a note's link.
 */
export function externalUrlAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '' && u.hostname !== '';
  } catch {
    return false;
  }
}

/** Camera, microphone, geolocation, notifications…: the console needs none of them. */
export function permissionGranted(_permission: string): boolean {
  return false;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.pbf': 'application/x-protobuf',
};

/** The file under `root` a mandala-app: URL names, or null for anything outside it or malformed. */
export function appFile(root: string, url: string): { readonly path: string; readonly type: string } | null {
  let pathname: string;
  try {
    const u = new URL(url);
    if (u.protocol !== `${APP_SCHEME}:` || u.host !== 'app') return null;
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relative = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^[/\\]+/, '');
  if (relative.split(/[/\\]/).includes('..')) return null;
  const path = join(root, relative);
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  return { path, type: TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream' };
}
