// A question a view asks the node with its own arguments (filters, a selected report), as opposed
// to the session's stores that mirror one piece of state for everyone. The answer is re-asked
// when the arguments change, when the node pushes that the data behind it changed (the audit
// topics push counts, not data), and when the link comes back after a drop. Answers that arrive
// out of order are dropped, so a slow old query never overwrites a newer one.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiErrorDto, PushTopic } from '../../../shared/api';
import { describeError } from '../lib/errors';
import type { ConsoleSession } from './console-session';
import { useSession } from './session-context';

export interface NodeQuery<T> {
  /** The last good answer (kept through failures and while a new one is on its way). */
  readonly data: T | null;
  readonly error: ApiErrorDto | null;
  readonly loading: boolean;
  /** The key `data` answers: differs from the current key while a new question is on its way. */
  readonly dataKey: string | null;
  refresh(): void;
}

interface QueryState<T> {
  readonly data: T | null;
  readonly error: ApiErrorDto | null;
  readonly loading: boolean;
  /** The key the data answers; a view can tell a stale answer from a current one. */
  readonly key: string | null;
}

/**
 * `key` names the arguments (e.g. their JSON): a new key asks again. `load` may change identity
 * every render; the one current when a query starts is used. A null key asks nothing.
 */
export function useNodeQuery<T>(key: string | null, load: (session: ConsoleSession) => Promise<T>, topics: readonly PushTopic[] = []): NodeQuery<T> {
  const session = useSession();
  const [state, setState] = useState<QueryState<T>>({ data: null, error: null, loading: key !== null, key: null });
  const loader = useRef(load);
  const issued = useRef(0);
  useEffect(() => {
    loader.current = load;
  });

  const run = useCallback(() => {
    if (key === null) return;
    const ticket = ++issued.current;
    setState((s) => (s.loading ? s : { ...s, loading: true }));
    loader.current(session).then(
      (data) => {
        if (ticket === issued.current) setState({ data, error: null, loading: false, key });
      },
      (failure: unknown) => {
        if (ticket === issued.current) setState((s) => ({ ...s, error: describeError(failure), loading: false }));
      },
    );
  }, [session, key]);

  const topicList = topics.join(',');
  useEffect(() => {
    run();
    const stops = topicList ? topicList.split(',').map((topic) => session.bridge.subscribe(topic as PushTopic, () => run())) : [];
    // Pushes sent while the socket was down are lost: ask again once it is back.
    let previous = session.connection.store.get().state;
    stops.push(
      session.connection.store.subscribe(() => {
        const now = session.connection.store.get().state;
        if (now === 'open' && previous !== 'open') run();
        previous = now;
      }),
    );
    return () => {
      // Answers to queries of the old key must not land after it changed.
      issued.current++;
      for (const stop of stops) stop();
    };
  }, [session, run, topicList]);

  return { data: state.data, error: state.error, loading: state.loading, dataKey: state.key, refresh: run };
}
