// The console API over Electron IPC, built on what the preload exposes (window.mandalaIpc).
import type { ApiArgs, ApiName, ApiResult, MandalaBridge, MandalaIpc, PushMap, PushTopic } from '../../../shared/api';
import { ApiCallError } from './ws-bridge';

export class IpcBridge implements MandalaBridge {
  readonly transport = 'ipc' as const;
  private readonly listeners = new Map<PushTopic, Set<(data: never) => void>>();

  constructor(private readonly ipc: MandalaIpc) {
    ipc.onPush((topic, data) => {
      for (const l of this.listeners.get(topic) ?? []) l(data as never);
    });
  }

  async call<K extends ApiName>(name: K, args: ApiArgs<K>): Promise<ApiResult<K>> {
    const reply = await this.ipc.invoke(name, args);
    if (reply.ok) return reply.result;
    throw new ApiCallError(reply.error.code, reply.error.message);
  }

  subscribe<T extends PushTopic>(topic: T, listener: (data: PushMap[T]) => void): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    const l = listener as (data: never) => void;
    set.add(l);
    return () => set!.delete(l);
  }
}
