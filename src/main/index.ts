// The Electron main process: windows, security, menu, and IPC from the shared contract to the
// node's API. The node itself (store, sync, radio, demo) is the same runtime `mandala serve`
// runs; this file only hosts it.
//
// Security follows Electron's checklist item by item (docs/security.md; the decisions are in
// security-policy.ts, tested under Node): context isolation, a sandboxed renderer with no Node,
// a strict CSP, the app served on its own scheme (never file://), navigation and new windows
// denied (https links open in the user's browser), every permission request refused, IPC senders
// validated, and only the typed API exposed by the preload.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, screen, session, shell, type IpcMainInvokeEvent } from 'electron';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { IPC_PUSH_CHANNEL } from '../shared/api';
import { createHandlers, fleetPushes, pushPayload } from '../node/api/handlers';
import { defaultDataDir } from '../node/datadir';
import { isMandalaError } from '../node/errors';
import { startRuntime, type Runtime } from '../node/runtime';
import { registerIpc } from './ipc';
import { handleAppFiles, registerSchemes } from './app-protocol';
import { APP_ORIGIN, externalUrlAllowed, isTrustedSender, navigationAllowed, permissionGranted, WEB_PREFERENCES } from './security-policy';
import { handleTiles, openMapFile } from './tile-protocol';
import { TileLibrary } from '../node/tiles/tile-library';
import type { RadioSetupDto } from '../shared/api';
import { chooseDataFolder } from './data-folder';
import { fitWindow, Remembered, startRadio } from './desktop-settings';
import type { LoraOptions } from '../node/transports/lora/radio-control';
import { radioPortsFromEnv } from '../node/transports/lora/serial-ports';

const VERSION = app.getVersion();
const rendererDir = join(import.meta.dirname, '..', 'renderer');
const devUrl = process.env['ELECTRON_RENDERER_URL'];

function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionGranted(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionGranted(permission));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!navigationAllowed(url, devUrl)) e.preventDefault();
    });
    contents.on('will-redirect', (e, url) => {
      if (!navigationAllowed(url, devUrl)) e.preventDefault();
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (externalUrlAllowed(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

function createWindow(remembered: Remembered): BrowserWindow {
  const saved = remembered.settings.window;
  const bounds = fitWindow(saved, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    // The console's first paint follows the system's theme (styles/base.css tokens), so no flash.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0c1116' : '#eef1f4',
    title: 'Mandala',
    icon: join(import.meta.dirname, '..', '..', 'resources', 'icon.png'),
    webPreferences: { ...WEB_PREFERENCES, preload: join(import.meta.dirname, '..', 'preload', 'index.cjs') },
  });
  win.once('ready-to-show', () => {
    if (saved?.maximized) win.maximize();
    win.show();
  });
  // The place and size are remembered as the user leaves them (a moment after the last move).
  let timer: NodeJS.Timeout | null = null;
  const keep = () => {
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    remembered.change({ window: { ...win.getNormalBounds(), maximized: win.isMaximized() } });
  };
  const soon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(keep, 1000);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event as 'resize', soon);
  win.on('close', () => {
    if (timer) clearTimeout(timer);
    keep();
  });
  void win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

function dataFolder(remembered: Remembered): string {
  return process.env['MANDALA_DATA'] ?? remembered.settings.dataDir ?? defaultDataDir();
}

async function startNode(remembered: Remembered, lora: LoraOptions | undefined): Promise<Runtime> {
  const dir = dataFolder(remembered);
  const nativeBinding = process.env['MANDALA_NATIVE_BINDING'];
  // A demo fleet when no radio is attached (and unless turned off).
  const demo = process.env['MANDALA_DEMO'] !== '0' && !lora;
  const listenPort = Number(process.env['MANDALA_PORT'] ?? 7420);
  const options = {
    dir,
    version: VERSION,
    create: true,
    demo,
    nativeBinding: nativeBinding && existsSync(nativeBinding) ? nativeBinding : undefined,
    lora,
    radioPorts: radioPortsFromEnv(process.env),
    // The radio chosen in the console is attached again at the next start.
    onRadioChanged: (setup: RadioSetupDto | null) => remembered.change({ radio: setup ?? undefined }),
    onWarning: (m: string) => console.warn(`mandala: ${m}`),
  };
  try {
    return await startRuntime({ ...options, listen: { host: process.env['MANDALA_HOST'] ?? '0.0.0.0', port: listenPort } });
  } catch (e) {
    // Another node (a `mandala serve`) may hold the port: run without accepting LAN sync.
    if (isMandalaError(e) && e.code === 'port_busy') {
      console.warn(`mandala: ${e.message}; LAN peers cannot reach this window's node`);
      return startRuntime(options);
    }
    throw e;
  }
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerSchemes();
  await app.whenReady();
  hardenSessions();
  handleAppFiles(rendererDir);
  // Map files given at start (MANDALA_TILES, paths separated like PATH), as `serve --tiles` takes them.
  const tiles = await TileLibrary.open((process.env['MANDALA_TILES'] ?? '').split(delimiter).filter(Boolean));
  handleTiles(tiles);
  let win: BrowserWindow | null = null;
  let running: Runtime | null = null;
  const remembered = new Remembered(app.getPath('userData'));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'File',
        submenu: [
          { label: 'Open map file…', accelerator: 'CmdOrCtrl+O', click: () => win && void openMapFile(win, tiles) },
          { type: 'separator' },
          { label: 'Choose data folder…', click: () => win && running && void chooseDataFolder(win, { current: running.folder.dir, fromEnv: process.env['MANDALA_DATA'] !== undefined, choose: (dir) => remembered.change({ dataDir: dir }) }) },
          // The folder the node runs on now (a new choice takes effect at the next start).
          { label: 'Show data folder', click: () => running && void shell.openPath(running.folder.dir) },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    ]),
  );
  // The radio is read first: a bad MANDALA_LORA_* value is its own error, not the data folder's.
  const lora = startRadio(process.env, remembered);
  const chosen = process.env['MANDALA_DATA'] ? null : remembered.settings.dataDir;
  // A folder chosen earlier that is gone (a USB drive not plugged in) is not made again empty.
  let folderProblem = chosen && !existsSync(chosen) ? `${chosen} is not there (a drive not plugged in?)` : null;
  let runtime: Runtime | null = null;
  if (!folderProblem) {
    try {
      runtime = await startNode(remembered, lora);
    } catch (e) {
      if (!chosen) throw e;
      folderProblem = (e as Error).message;
    }
  }
  if (!runtime) {
    // Say so, forget it, and start on the default folder rather than not at all.
    dialog.showErrorBox('Mandala could not open its data folder', `${folderProblem}\n\nMandala starts on its default data folder instead; choose another with File → Choose data folder…`);
    remembered.change({ dataDir: undefined });
    runtime = await startNode(remembered, lora);
  }
  running = runtime;
  const node = runtime;
  const handlers = createHandlers(node.node.api, VERSION, undefined, tiles, node.radio);
  registerIpc(ipcMain, handlers, (event: IpcMainInvokeEvent) => isTrustedSender(event.senderFrame?.url, devUrl));
  win = createWindow(remembered);
  // One push stream for the window: a reload asks for a full snapshot, then follows the numbered pushes.
  const fleet = fleetPushes();
  node.node.api.onPush((topic) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_PUSH_CHANNEL, topic, pushPayload(handlers, topic, { fleet, node: node.node.api }));
  });
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createWindow(remembered);
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (e) => {
    e.preventDefault();
    void node.stop().finally(() => app.exit(0));
  });
}

main().catch((e: unknown) => {
  console.error(`mandala: ${(e as Error).message}`);
  app.exit(1);
});
