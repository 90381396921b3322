// A minimal typed event emitter for ports (links, transports) that must run in the core's pure
// world, where node:events is not available. Listener errors are contained: one faulty listener
// never stops the others or the emitter's owner.

type Listener = (...args: unknown[]) => void;

export class Emitter<Events extends Record<string, unknown[]>> {
  private readonly listeners = new Map<keyof Events, Set<Listener>>();

  on<K extends keyof Events>(event: K, fn: (...args: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = fn as unknown as Listener;
    set.add(l);
    return () => set!.delete(l);
  }

  emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) {
      try {
        fn(...args);
      } catch (e) {
        if (event !== 'listenerError') this.emit('listenerError' as K, ...([e] as unknown as Events[K]));
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
