// Runs the bridge suite over the WebSocket bridge (a real ConsoleServer and socket) and over the
// Electron IPC bridge. Electron cannot run here, so the IPC channel between registerIpc (main)
// and IpcBridge (renderer) is a stand-in: FakeIpcChannel passes calls and pushes in-process
// exactly as ipcMain.handle/ipcRenderer.invoke would, including the sender-frame check. The real
// IPC path is covered by test/e2e/electron.test.ts where the Electron binary exists.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import WebSocket from 'ws';
import { expect, it } from 'vitest';
import { MonotonicClock } from '../../src/core/clock/clock';
import { ConsoleServer } from '../../src/node/api/console-server';
import { createHandlers, fleetPushes, pushPayload } from '../../src/node/api/handlers';
import { RealScheduler } from '../../src/node/clock/real-scheduler';
import { SystemClock } from '../../src/node/clock/system-clock';
import { createNode } from '../../src/node/create-node';
import { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import { registerIpc, type IpcMainLike } from '../../src/main/ipc';
import { IpcBridge } from '../../src/renderer/src/api/ipc-bridge';
import { WsBridge, type SocketLike } from '../../src/renderer/src/api/ws-bridge';
import { IPC_CALL_CHANNEL, IPC_PUSH_CHANNEL, type MandalaIpc, type PushMap, type PushTopic } from '../../src/shared/api';
import { crypto, identity } from '../support/feeds';
import { runBridgeSuite } from './bridge-suite';

async function node() {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-bridge-'));
  const store = SqliteFeedStore.open(join(dir, 'mandala.db'), { crypto });
  const scheduler = new RealScheduler(new MonotonicClock(new SystemClock()));
  const node = createNode({ store, crypto, identity: identity('bridge-node'), name: 'bridge-node', scheduler, pushThrottleMs: 50 });
  await node.start();
  node.writer.append([{ kind: 'truck.position', payload: { truck: 'T-1', fix_ms: scheduler.nowMs(), lat_e6: 500_000, lon_e6: 37_250_000 } }]);
  const handlers = createHandlers(node.api, 'test');
  return {
    node,
    handlers,
    async close() {
      await node.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

runBridgeSuite('websocket', async () => {
  const n = await node();
  const server = new ConsoleServer({ node: n.node.api, handlers: n.handlers, version: 'test', staticDir: null });
  await new Promise<void>((r) => server.http.listen(0, '127.0.0.1', r));
  const port = (server.http.address() as { port: number }).port;
  const bridge = new WsBridge(`ws://127.0.0.1:${port}/api/ws`, (url) => new WebSocket(url) as unknown as SocketLike);
  return {
    bridge,
    nodeId: n.node.self,
    async teardown() {
      bridge.close();
      server.close();
      await n.close();
    },
  };
});

/** Stand-in for Electron's ipcMain + ipcRenderer pair (see the header). */
class FakeIpcChannel implements IpcMainLike {
  private handler: ((event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) | null = null;
  private readonly pushListeners = new Set<(topic: PushTopic, data: PushMap[PushTopic]) => void>();
  constructor(readonly frameUrl: string) {}
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
    expect(channel).toBe(IPC_CALL_CHANNEL);
    this.handler = listener;
  }
  removeHandler(): void {
    this.handler = null;
  }
  /** webContents.send from main. */
  send(channel: string, topic: PushTopic, data: PushMap[PushTopic]): void {
    expect(channel).toBe(IPC_PUSH_CHANNEL);
    for (const l of this.pushListeners) l(structuredClone(topic), structuredClone(data));
  }
  /** What the preload exposes. */
  renderer(): MandalaIpc {
    return {
      invoke: async (name, args) => structuredClone(await this.handler!({ senderFrame: { url: this.frameUrl } } as IpcMainInvokeEvent, name, structuredClone(args))) as never,
      onPush: (listener) => {
        this.pushListeners.add(listener);
        return () => this.pushListeners.delete(listener);
      },
    };
  }
}

runBridgeSuite('electron ipc (stand-in channel)', async () => {
  const n = await node();
  const channel = new FakeIpcChannel('file:///app/out/renderer/index.html');
  const unregister = registerIpc(channel, n.handlers, (e) => e.senderFrame!.url.startsWith('file:///app/out/renderer/'));
  const stream = { fleet: fleetPushes(), node: n.node.api };
  const off = n.node.api.onPush((topic) => channel.send(IPC_PUSH_CHANNEL, topic, pushPayload(n.handlers, topic, stream)));
  return {
    bridge: new IpcBridge(channel.renderer()),
    nodeId: n.node.self,
    async teardown() {
      off();
      unregister();
      await n.close();
    },
  };
});

it('ipc_refuses_calls_from_a_frame_that_is_not_ours', async () => {
  const n = await node();
  const channel = new FakeIpcChannel('https://evil.example/');
  registerIpc(channel, n.handlers, (e) => e.senderFrame!.url.startsWith('file:///app/out/renderer/'));
  await expect(new IpcBridge(channel.renderer()).call('node.info', {})).rejects.toMatchObject({ code: 'untrusted_sender' });
  await n.close();
});

it('the_preload_channel_names_match_the_shared_contract', async () => {
  const { readFileSync } = await import('node:fs');
  const preload = readFileSync(join(import.meta.dirname, '../../src/preload/index.ts'), 'utf8');
  expect(preload).toContain(`const CALL = '${IPC_CALL_CHANNEL}'`);
  expect(preload).toContain(`const PUSH = '${IPC_PUSH_CHANNEL}'`);
});

it('the_websocket_api_refuses_a_cross_origin_page', async () => {
  const n = await node();
  const server = new ConsoleServer({ node: n.node.api, handlers: n.handlers, version: 'test', staticDir: null });
  await new Promise<void>((r) => server.http.listen(0, '127.0.0.1', r));
  const port = (server.http.address() as { port: number }).port;
  const status = await new Promise<number>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, { headers: { Origin: 'https://evil.example' } });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
  });
  expect(status).toBe(403);
  server.close();
  await n.close();
});
