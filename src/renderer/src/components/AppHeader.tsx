// The header: which node this is, how much it holds, who it is talking to, and what is wrong.
import type { LoopDelayDto } from '../../../shared/api';
import { formatCount, shortId } from '../lib/format';
import { useStore } from '../store/external-store';
import { catchUp } from '../store/peer-progress';
import { useSession } from '../store/session-context';
import { ConnectionIndicator } from './ConnectionIndicator';
import { ThemeButton } from './ThemeButton';
import { JobsStat } from './JobsStat';
import { WarningsMenu } from './WarningsMenu';

function Stat({ label, value, tone, title }: { label: string; value: string; tone?: 'warn'; title?: string }) {
  return (
    <div className={tone ? `header-stat header-stat-${tone}` : 'header-stat'} title={title}>
      <span className="header-stat-value">{value}</span>
      <span className="header-stat-label">{label}</span>
    </div>
  );
}

/** Above these the node is slow to answer its console, peers and webhooks. */
const LOOP_P99_WARN_MS = 25;
const LOOP_MAX_WARN_MS = 100;

function LoopStat({ loop }: { loop: LoopDelayDto }) {
  const slow = loop.p99Ms > LOOP_P99_WARN_MS || loop.maxMs > LOOP_MAX_WARN_MS;
  const title =
    `How late the node's event loop ran over the last ${Math.round(loop.windowMs / 1000)} s: ` +
    `p50 ${loop.p50Ms} ms, p99 ${loop.p99Ms} ms, max ${loop.maxMs} ms. ` +
    `Everything the node answers waits on it; above ${LOOP_P99_WARN_MS} ms (p99) or ${LOOP_MAX_WARN_MS} ms (max) the node is busy.`;
  return <Stat label="loop p99 / max" value={`${formatMs(loop.p99Ms)} / ${formatMs(loop.maxMs)}`} tone={slow ? 'warn' : undefined} title={title} />;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function AppHeader() {
  const session = useSession();
  const node = useStore(session.node.store);
  const peers = useStore(session.peers.store);
  const info = node.data?.info ?? null;
  const connected = peers.data?.filter((p) => p.row.connected).length ?? null;
  const connection = useStore(session.connection.store);
  // Once the link to the node is lost, what the header shows is only the last word.
  const linkDown = connection.state !== 'open' && connection.downSinceMs !== null && (connection.reconnects > 0 || info !== null);
  // An initial sync (or one after a long partition): how much of what this node lacks has come.
  const catching = peers.data && !linkDown ? catchUp(peers.data) : null;

  return (
    <header className="app-header">
      <div className="brand" aria-label="Mandala">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Mandala</span>
      </div>
      <div className="node-identity" data-testid="node-identity">
        {info ? (
          <>
            <span className="node-name">{info.name}</span>
            <code className="node-id" title={info.nodeId}>
              {shortId(info.nodeId)}
            </code>
            {info.demo ? <span className="badge badge-demo" title="Simulated fleet and peers (mandala serve --demo)">demo</span> : null}
            <span className="node-version">v{info.version}</span>
          </>
        ) : node.error ? (
          <span className="node-error" title={node.error.message}>
            node unreachable · <code>{node.error.code}</code>
          </span>
        ) : (
          <span className="muted">connecting to node…</span>
        )}
      </div>
      <div className="header-stats">
        <Stat label="events" value={formatCount(info?.eventCount)} />
        <Stat label="feeds" value={formatCount(info?.feedCount)} />
        <Stat
          label={linkDown ? 'peers connected (last known)' : 'peers connected'}
          value={connected === null ? '—' : `${formatCount(connected)}/${formatCount(peers.data?.length ?? 0)}`}
          tone={linkDown ? 'warn' : undefined}
          title={linkDown ? 'The console cannot reach its node: this is what the node said last, not what it sees now' : undefined}
        />
        {catching ? (
          <div className="header-stat header-catch-up" data-testid="catch-up" title={`Receiving the events this node lacks from ${catching.from.join(', ')}: ${formatCount(catching.lacking)} still to come`}>
            <span className="header-stat-value">{Math.floor(catching.received * 100)}%</span>
            <span className="header-stat-label">catching up</span>
            <span className="progress-bar" role="progressbar" aria-label="catch-up progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.floor(catching.received * 100)}>
              <span className="progress-fill" style={{ width: `${Math.max(4, catching.received * 100)}%` }} />
            </span>
          </div>
        ) : null}
        {info && !linkDown ? <JobsStat jobs={info.jobs} /> : null}
        {info ? <LoopStat loop={info.loop} /> : null}
        {info && info.pendingCount > 0 ? (
          <Stat label="pending" value={formatCount(info.pendingCount)} title="Events held until the events they depend on arrive" />
        ) : null}
        {info && info.quarantined.length > 0 ? (
          <Stat
            label="quarantined"
            value={formatCount(info.quarantined.length)}
            tone="warn"
            title={`Feeds set aside for breaking the log's rules: ${info.quarantined.map(shortId).join(', ')}`}
          />
        ) : null}
      </div>
      <div className="header-right">
        <ConnectionIndicator />
        <ThemeButton />
        {info ? <WarningsMenu warnings={info.warnings} /> : null}
      </div>
    </header>
  );
}
