// The console API over a WebSocket, for the browser (mandala serve). Requests carry an id and
// come back as envelopes; pushes arrive unasked. The socket reconnects with backoff, and calls
// made while it is down wait for it rather than fail at once.
import type { ApiArgs, ApiErrorDto, ApiName, ApiResult, MandalaBridge, PushMap, PushTopic } from '../../../shared/api';

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** The subset of the WebSocket API the bridge uses (the browser's, or the `ws` package's in tests). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export type ConnectionState = 'connecting' | 'open' | 'closed';

export class WsBridge implements MandalaBridge {
  readonly transport = 'websocket' as const;
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly waiting: (() => void)[] = [];
  private readonly listeners = new Map<PushTopic, Set<(data: never) => void>>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private retryMs = 500;
  private closed = false;
  state: ConnectionState = 'connecting';

  constructor(
    private readonly url: string,
    private readonly makeSocket: SocketFactory,
    private readonly timers: { setTimeout(fn: () => void, ms: number): unknown } = globalThis,
  ) {
    this.open();
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private open(): void {
    const socket = this.makeSocket(this.url);
    this.socket = socket;
    this.setState('connecting');
    socket.onopen = () => {
      this.retryMs = 500;
      this.setState('open');
      for (const w of this.waiting.splice(0)) w();
    };
    socket.onmessage = (ev) => this.onMessage(String(ev.data));
    socket.onerror = () => {};
    socket.onclose = () => {
      this.setState('closed');
      for (const [id, p] of this.pending) {
        p.reject(new ApiCallError('connection_lost', 'the connection to the node was lost; the call may not have run'));
        this.pending.delete(id);
      }
      if (!this.closed) {
        this.timers.setTimeout(() => this.open(), this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, 10_000);
      }
    };
  }

  private onMessage(text: string): void {
    let msg: { id?: number; ok?: boolean; result?: unknown; error?: ApiErrorDto; push?: PushTopic; data?: unknown };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.push) {
      for (const l of this.listeners.get(msg.push) ?? []) l(msg.data as never);
      return;
    }
    const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!p) return;
    this.pending.delete(msg.id!);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new ApiCallError(msg.error?.code ?? 'error', msg.error?.message ?? 'the node refused the call'));
  }

  private ready(): Promise<void> {
    if (this.socket && this.socket.readyState === 1) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async call<K extends ApiName>(name: K, args: ApiArgs<K>): Promise<ApiResult<K>> {
    await this.ready();
    const id = this.nextId++;
    return new Promise<ApiResult<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket!.send(JSON.stringify({ id, call: name, args }));
    });
  }

  subscribe<T extends PushTopic>(topic: T, listener: (data: PushMap[T]) => void): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    const l = listener as (data: never) => void;
    set.add(l);
    return () => set!.delete(l);
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }
}
