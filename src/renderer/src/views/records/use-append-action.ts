// The state of one write from a form: idle, sending (possibly waiting for the link to come back),
// then the node's answer, kept on screen until the next attempt.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppendResultDto } from '../../../../shared/api';

export interface AppendAction {
  readonly pending: boolean;
  readonly result: AppendResultDto | null;
  /** Sends once (ignored while a send is pending); resolves to the answer. */
  run(send: () => Promise<AppendResultDto>): Promise<AppendResultDto | null>;
  clear(): void;
}

export function useAppendAction(): AppendAction {
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<AppendResultDto | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(
    async (send: () => Promise<AppendResultDto>) => {
      if (pending) return null;
      setPending(true);
      setResult(null);
      const answer = await send();
      if (mounted.current) {
        setPending(false);
        setResult(answer);
      }
      return answer;
    },
    [pending],
  );
  const clear = useCallback(() => setResult(null), []);
  return { pending, result, run, clear };
}
