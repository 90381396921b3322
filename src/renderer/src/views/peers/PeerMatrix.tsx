// Who lacks what: every feed (rows) against every peer (columns), from the frontiers the peers
// last told. A cell says whether the peer holds all of the feed this node holds, how many events
// it lacks, or how many it holds that this node lacks; "?" before the peer told a frontier.
import { useState } from 'react';
import type { MatrixFeedDto, PeerMatrixDto } from '../../../../shared/api';
import { ErrorNotice } from '../../components/StatusMessage';
import { formatCount, plural } from '../../lib/format';
import { useNodeQuery } from '../../store/use-node-query';

/** Rows shown before "Show all". */
const FIRST_ROWS = 40;

const HOPS_LABEL = { own: 'this node', direct: 'direct', relayed: 'relayed' } as const;
const hopsOf = (f: MatrixFeedDto) => (f.hops === 0 ? 'own' : f.hops === 1 ? 'direct' : 'relayed');

/** A feed some peer lacks or holds more of (a peer that has told nothing of it does not count). */
function differs(m: PeerMatrixDto, f: number): boolean {
  const held = m.feeds[f]!.held;
  return m.cells[f]!.some((seq) => seq !== null && seq !== held);
}

function Cell({ held, seq, peer, feed }: { held: number; seq: number | null; peer: string; feed: string }) {
  const common = { 'data-testid': 'matrix-cell', 'data-peer': peer, 'data-feed': feed };
  if (seq === null) {
    return (
      <td {...common} className="matrix-cell is-unknown" title="It has told no frontier yet">
        ?
      </td>
    );
  }
  if (seq === held) {
    return (
      <td {...common} data-lack={0} className="matrix-cell is-even" title={held === 0 ? 'Neither holds it' : `Holds all ${formatCount(held)}, as this node does`}>
        ✓
      </td>
    );
  }
  if (seq < held) {
    return (
      <td {...common} data-lack={held - seq} className="matrix-cell is-behind" title={`Lacks ${plural(held - seq, 'event')} this node holds (it holds up to seq ${formatCount(seq)})`}>
        −{formatCount(held - seq)}
      </td>
    );
  }
  return (
    <td {...common} data-lack={held - seq} className="matrix-cell is-ahead" title={`Holds ${plural(seq - held, 'event')} this node lacks (up to seq ${formatCount(seq)})`}>
      +{formatCount(seq - held)}
    </td>
  );
}

export function PeerMatrix() {
  const query = useNodeQuery('peers-matrix', (s) => s.bridge.call('peers.matrix', {}), ['peers', 'node']);
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const m = query.data;
  if (!m || m.peers.length === 0) return query.error ? <ErrorNotice error={query.error} context="Could not load who lacks what" /> : null;
  const rows = m.feeds.map((_, i) => i).filter((i) => !onlyDiffering || differs(m, i));
  const shown = showAll ? rows : rows.slice(0, FIRST_ROWS);
  const differing = m.feeds.filter((_, i) => differs(m, i)).length;
  return (
    <section className="panel peer-matrix" data-testid="peer-matrix" aria-labelledby="peer-matrix-title">
      <header className="panel-header">
        <div>
          <h2 id="peer-matrix-title">Who lacks what</h2>
          <p className="panel-subtitle">
            {plural(m.feeds.length, 'feed')} × {plural(m.peers.length, 'peer')} · {differing === 0 ? 'every peer that told its frontier holds what this node holds' : `${plural(differing, 'feed')} not even`}
          </p>
        </div>
        <label className="inline-field">
          <input type="checkbox" name="matrix-differing" checked={onlyDiffering} onChange={(e) => setOnlyDiffering(e.target.checked)} />
          only feeds that differ
        </label>
      </header>
      {query.error ? <ErrorNotice error={query.error} context="Refresh failed; showing the last data" /> : null}
      <div className="matrix-scroll">
        <table className="data-table matrix-table">
          <thead>
            <tr>
              <th scope="col">Feed</th>
              <th scope="col" className="num" title="The newest seq of the feed this node holds">
                Held here
              </th>
              {m.peers.map((p) => (
                <th key={p.node} scope="col" className={p.connected ? 'matrix-peer' : 'matrix-peer is-offline'} title={p.connected ? p.node : `${p.node} (offline: what it held when last heard is not kept)`}>
                  {p.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((f) => {
              const feed = m.feeds[f]!;
              const hops = hopsOf(feed);
              return (
                <tr key={feed.author} data-testid="matrix-row" data-feed={feed.author}>
                  <th scope="row" className="matrix-feed">
                    <span className="matrix-feed-inner">
                      <span className="matrix-feed-name" title={feed.author}>
                        {feed.name}
                      </span>
                      <span className={`badge hops-${hops}`} data-testid="matrix-hops" title={hops === 'relayed' ? 'No link to its node: its events came through relays' : undefined}>
                        {HOPS_LABEL[hops]}
                      </span>
                    </span>
                  </th>
                  <td className="num">{formatCount(feed.held)}</td>
                  {m.peers.map((p, k) => (
                    <Cell key={p.node} held={feed.held} seq={m.cells[f]![k] ?? null} peer={p.node} feed={feed.author} />
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rows.length > shown.length ? (
        <button type="button" className="button" onClick={() => setShowAll(true)}>
          Show all {formatCount(rows.length)} feeds
        </button>
      ) : null}
      <p className="table-footnote">
        <strong>✓</strong> holds what this node holds · <strong className="tone-bad">−N</strong> lacks N events · <strong>+N</strong> holds N events this node lacks · <strong>?</strong> no frontier from it yet. Offline peers show
        ? : what they held is not kept once their link is gone.
      </p>
    </section>
  );
}
