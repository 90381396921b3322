// PROVES: the desktop app's security decisions (src/main/security-policy.ts, the ones Electron's
//         checklist asks for) hold where they can be checked without the Electron binary: the
//         renderer's web preferences; IPC only from the app's own page (mandala-app:, never
//         file:// or another site); navigation refused; only plain https:// links leave for the
//         user's browser; every permission refused; the app scheme serves only files inside the
//         renderer folder; the CSP forbids inline and remote scripts; the fuses are set for
//         packaging; the preload exposes one object.
// CATCHES: a checklist item silently undone by a refactor (a webview tag, nodeIntegration, a
//          path traversal through the app scheme, a fuse left on).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, appFile, externalUrlAllowed, isTrustedSender, navigationAllowed, permissionGranted, WEB_PREFERENCES } from '../../src/main/security-policy';

const root = join(import.meta.dirname, '..', '..');

describe('the desktop app security policy', () => {
  it('web_preferences_isolate_and_sandbox_the_renderer', () => {
    expect(WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, experimentalFeatures: false, webviewTag: false });
    expect(WEB_PREFERENCES).not.toHaveProperty('enableBlinkFeatures');
  });

  it('only_the_app_page_may_call_ipc_or_be_navigated_to', () => {
    expect(isTrustedSender(`${APP_ORIGIN}/index.html`)).toBe(true);
    for (const url of ['file:///usr/lib/mandala/renderer/index.html', 'https://evil.example/', 'mandala-app://evil/index.html', 'mandala-tiles://camp/1/0/0', 'about:blank', '', undefined]) {
      expect(isTrustedSender(url), String(url)).toBe(false);
    }
    expect(isTrustedSender('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
    expect(navigationAllowed('https://example.org/')).toBe(false);
    expect(navigationAllowed(`${APP_ORIGIN}/index.html#peers`)).toBe(true);
  });

  it('only_plain_https_links_open_outside_and_no_permission_is_granted', () => {
    expect(externalUrlAllowed('https://www.openstreetmap.org/#map=8/0.5/37.9')).toBe(true);
    for (const url of ['http://example.org/', 'file:///etc/passwd', 'smb://share/x', 'javascript:alert(1)', 'https://user:pw@example.org/', 'mandala-app://app/', 'not a url']) {
      expect(externalUrlAllowed(url), url).toBe(false);
    }
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) expect(permissionGranted(p), p).toBe(false);
  });

  it('the_app_scheme_serves_only_the_renderer_folder', () => {
    const dir = '/opt/mandala/renderer';
    expect(appFile(dir, `${APP_ORIGIN}/`)).toEqual({ path: join(dir, 'index.html'), type: 'text/html; charset=utf-8' });
    expect(appFile(dir, `${APP_ORIGIN}/assets/index-abc.js`)?.path).toBe(join(dir, 'assets', 'index-abc.js'));
    for (const url of [`${APP_ORIGIN}/../../etc/passwd`, `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`, `${APP_ORIGIN}/assets/..%2f..%2fsecret`, `${APP_ORIGIN}/a%00.js`, 'mandala-app://other/index.html', 'file:///etc/passwd']) {
      // Refused, or (the URL parser resolves a leading ../ at the root) a path still inside the folder.
      const f = appFile(dir, url);
      expect(f === null || f.path.startsWith(`${dir}/`), url).toBe(true);
    }
  });

  it('the_csp_allows_no_inline_or_remote_script_and_the_fuses_are_set', () => {
    const html = readFileSync(join(root, 'src', 'renderer', 'index.html'), 'utf8');
    const csp = /Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|https?:/);
    expect(csp).toMatch(/object-src 'none'/);
    const builder = parseYaml(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean>; asarUnpack: string[] };
    expect(builder.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(builder.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    const preload = readFileSync(join(root, 'src', 'preload', 'index.ts'), 'utf8');
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
  });
});
