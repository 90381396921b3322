// Says plainly when the console is showing what it last knew rather than live state. Views stay
// usable underneath: data is kept, and calls made now are sent once the link is back.
import { useNow } from '../lib/clock';
import { formatAge } from '../lib/format';
import { useStore } from '../store/external-store';
import { useSession } from '../store/session-context';

/** A first connect this quick is not worth a banner. */
const QUIET_CONNECT_MS = 2500;

export function ConnectionBanner() {
  const connection = useStore(useSession().connection.store);
  const now = useNow(1000);
  if (connection.state === 'open') return null;
  // Counted from when the link was lost, not from the latest retry.
  const downFor = now - (connection.downSinceMs ?? connection.sinceMs);
  if (connection.state === 'connecting' && connection.reconnects === 0 && downFor < QUIET_CONNECT_MS) return null;
  return (
    <div className="connection-banner" role="status" data-testid="connection-banner">
      <span className="spinner" aria-hidden="true" />
      <strong>Connection to the node lost</strong>
      <span>
        — reconnecting (down {downFor < 1500 ? '1 s' : formatAge(downFor).replace(' ago', '')}). The data shown is the last the node sent; changes you make are sent when the link is
        back.
      </span>
    </div>
  );
}
