// Hands the console session to every view, and the hooks views use to read it.
import { createContext, useContext, type ReactNode } from 'react';
import { useNow } from '../lib/clock';
import type { ConsoleSession } from './console-session';
import { useStore } from './external-store';

const SessionContext = createContext<ConsoleSession | null>(null);

export function SessionProvider({ session, children }: { session: ConsoleSession; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): ConsoleSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}

/** The node's current time, ticking every `intervalMs`: the clock all ages are measured on. */
export function useNodeNow(intervalMs = 1000): number {
  const now = useNow(intervalMs);
  const node = useStore(useSession().node.store);
  return now + (node.data?.clockSkewMs ?? 0);
}
