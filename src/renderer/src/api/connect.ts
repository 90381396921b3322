// Picks the bridge: Electron IPC when the preload is present, else a WebSocket to the node that
// served this page (passing on the console access token if the URL carries one).
import type { MandalaBridge } from '../../../shared/api';
import { IpcBridge } from './ipc-bridge';
import { WsBridge, type SocketLike } from './ws-bridge';

export function connectBridge(): MandalaBridge & { onState?: WsBridge['onState'] } {
  if (window.mandalaIpc) return new IpcBridge(window.mandalaIpc);
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token');
  const url = `${proto}//${location.host}/api/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return new WsBridge(url, (u) => new WebSocket(u) as unknown as SocketLike);
}
