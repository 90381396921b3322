// A piece of node state the console mirrors: fetched with one API call, then kept current by the
// node's pushes. Holds the last good value through failures, so a dropped connection greys the
// data instead of blanking the screen.
import type { ApiErrorDto } from '../../../shared/api';
import { describeError } from '../lib/errors';
import { createExternalStore, type ExternalStore } from './external-store';

export interface Remote<T> {
  /** Null until the first answer arrives. */
  readonly data: T | null;
  /** The last failure; cleared by the next success. Data, if any, is then the last good value. */
  readonly error: ApiErrorDto | null;
  readonly loading: boolean;
}

export interface RemoteResource<T> {
  readonly store: ExternalStore<Remote<T>>;
  /** Subscribes to pushes and loads; returns the matching stop. */
  start(): () => void;
  refresh(): Promise<void>;
}

export interface RemoteResourceOptions<T, Raw> {
  load(): Promise<Raw>;
  /** Subscribes to the node's pushes of this state, when it pushes it at all. */
  subscribe?(onData: (raw: Raw) => void): () => void;
  /** Folds a new answer into what is held (e.g. to keep progress peaks); defaults to replace. */
  merge?(previous: T | null, raw: Raw): T;
}

export function createRemoteResource<T, Raw = T>(options: RemoteResourceOptions<T, Raw>): RemoteResource<T> {
  const store = createExternalStore<Remote<T>>({ data: null, error: null, loading: true });
  const merge = options.merge ?? ((_previous: T | null, raw: Raw) => raw as unknown as T);
  // A push that lands while a load is in flight is newer than the load's answer; the counter lets
  // the late answer be dropped instead of overwriting it.
  let pushesSeen = 0;
  let running = false;

  const accept = (raw: Raw): void => store.update((s) => ({ data: merge(s.data, raw), error: null, loading: false }));

  const refresh = async (): Promise<void> => {
    const pushesBefore = pushesSeen;
    store.update((s) => (s.loading ? s : { ...s, loading: true }));
    try {
      const raw = await options.load();
      if (!running) return;
      if (pushesSeen === pushesBefore) accept(raw);
      else store.update((s) => ({ ...s, loading: false }));
    } catch (error) {
      if (running) store.update((s) => ({ ...s, error: describeError(error), loading: false }));
    }
  };

  return {
    store,
    refresh,
    start() {
      running = true;
      const unsubscribe = options.subscribe?.((raw) => {
        pushesSeen++;
        accept(raw);
      });
      void refresh();
      return () => {
        running = false;
        unsubscribe?.();
      };
    },
  };
}
