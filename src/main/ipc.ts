// IPC from the shared contract to the node's handlers. Every call is checked: the sender must be
// our own window's frame, the name must be in the contract, and errors come back as data with
// their code (Electron would otherwise strip everything but the message).
import type { IpcMainInvokeEvent } from 'electron';
import { API_NAMES, IPC_CALL_CHANNEL, type ApiEnvelope, type ApiHandlers, type ApiName } from '../shared/api';

/** The part of Electron's ipcMain this module uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export function registerIpc(ipcMain: IpcMainLike, handlers: ApiHandlers, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, name, args): Promise<ApiEnvelope<unknown>> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'untrusted_sender', message: 'this frame may not call the node' } };
    if (typeof name !== 'string' || !API_NAMES.includes(name as ApiName)) {
      return { ok: false, error: { code: 'unknown_call', message: `no API call named ${String(name).slice(0, 40)}` } };
    }
    try {
      const handler = handlers[name as ApiName] as (a: unknown) => unknown;
      return { ok: true, result: await handler(args ?? {}) };
    } catch (e) {
      return { ok: false, error: { code: (e as { code?: string }).code ?? 'internal_error', message: (e as Error).message } };
    }
  });
  return () => ipcMain.removeHandler(IPC_CALL_CHANNEL);
}
