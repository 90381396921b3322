// Which way the console reaches the node, and whether that link is up right now.
import { formatAge } from '../lib/format';
import { useNow } from '../lib/clock';
import { useStore } from '../store/external-store';
import { useSession } from '../store/session-context';

const STATE_LABEL = { open: 'live', connecting: 'connecting…', closed: 'reconnecting…' } as const;

export function ConnectionIndicator() {
  const connection = useStore(useSession().connection.store);
  const now = useNow(1000);
  const transport = connection.transport === 'ipc' ? 'Electron IPC' : 'WebSocket';
  const since = formatAge(now - connection.sinceMs);
  const title =
    connection.transport === 'ipc'
      ? 'Connected to the node in this app over IPC.'
      : `WebSocket to the node that served this page: ${connection.state} since ${since}; ${connection.reconnects} reconnects.`;
  return (
    <div className={`connection connection-${connection.state}`} title={title} data-testid="connection" data-state={connection.state}>
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-transport">{transport}</span>
      <span className="connection-state">{STATE_LABEL[connection.state]}</span>
    </div>
  );
}
