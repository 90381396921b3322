// Picks the bridge: Electron IPC when the preload is present, else a WebSocket to the node that
// served this page (passing on the console access token if the URL carries one).
import type { MandalaBridge } from '../../../shared/api';
import { IpcBridge } from './ipc-bridge';
import { WsBridge, type SocketLike } from './ws-bridge';

/** `?token=...` for a request to the node that served this page, when its URL carried one ('' otherwise). */
export function tokenQuery(): string {
  const token = new URLSearchParams(location.search).get('token');
  return token ? `?token=${encodeURIComponent(token)}` : '';
}

export function connectBridge(): MandalaBridge & { onState?: WsBridge['onState'] } {
  if (window.mandalaIpc) return new IpcBridge(window.mandalaIpc);
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${proto}//${location.host}/api/ws${tokenQuery()}`;
  return new WsBridge(url, (u) => new WebSocket(u) as unknown as SocketLike);
}
