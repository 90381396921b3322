// IPC from the shared contract to the node's handlers. Every call is checked: the sender must be
// our own window's frame; then the one dispatch (node/api/dispatch.ts) checks the name against
// the contract and returns errors as data with their code (Electron would otherwise strip
// everything but the message).
import type { IpcMainInvokeEvent } from 'electron';
import { IPC_CALL_CHANNEL, type ApiEnvelope, type ApiHandlers } from '../shared/api';
import { dispatch } from '../node/api/dispatch';

/** The part of Electron's ipcMain this module uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export function registerIpc(ipcMain: IpcMainLike, handlers: ApiHandlers, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, name, args): Promise<ApiEnvelope<unknown>> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'untrusted_sender', message: 'this frame may not call the node' } };
    return dispatch(handlers, name, args);
  });
  return () => ipcMain.removeHandler(IPC_CALL_CHANNEL);
}
