// The preload: exposes exactly the typed node API (invoke + push subscription) to the renderer
// through contextBridge, and nothing else. ipcRenderer itself never reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiArgs, ApiEnvelope, ApiName, ApiResult, MandalaIpc, PushMap, PushTopic } from '../shared/api';

// Channel names are repeated here (not imported) because the sandboxed preload may import only
// types from src/shared; test/node/bridges.test.ts checks they match.
const CALL = 'mandala:call';
const PUSH = 'mandala:push';

const api = {
  invoke<K extends ApiName>(name: K, args: ApiArgs<K>): Promise<ApiEnvelope<ApiResult<K>>> {
    return ipcRenderer.invoke(CALL, name, args) as Promise<ApiEnvelope<ApiResult<K>>>;
  },
  onPush(listener: (topic: PushTopic, data: PushMap[PushTopic]) => void): () => void {
    const handler = (_event: IpcRendererEvent, topic: PushTopic, data: PushMap[PushTopic]) => listener(topic, data);
    ipcRenderer.on(PUSH, handler);
    return () => {
      ipcRenderer.removeListener(PUSH, handler);
    };
  },
} satisfies MandalaIpc;

contextBridge.exposeInMainWorld('mandalaIpc', api);
