// The peers at a glance beside the map: who is connected, who is behind, what is in flight.
// Details (links, traffic, problems) are one click away in the Peers view.
import { EmptyState, ErrorNotice, LoadingState } from '../../components/StatusMessage';
import { formatCount } from '../../lib/format';
import { useStore } from '../../store/external-store';
import { useNodeNow, useSession } from '../../store/session-context';
import { issueCount, LastHeard, peerRowAttributes, PeerName, SyncDifference, SyncProgress } from '../peers/peer-cells';
import { sortPeers } from '../peers/sort-peers';

export function FrontierPanel({ onOpenPeers }: { onOpenPeers: () => void }) {
  const peers = useStore(useSession().peers.store);
  const now = useNodeNow(1000);
  const rows = sortPeers(peers.data ?? []);

  return (
    <section className="panel frontier-panel" aria-label="Peers">
      <header className="panel-header">
        <h2>
          Peers <span className="panel-count">{formatCount(rows.length)}</span>
        </h2>
        <button type="button" className="link-button" onClick={onOpenPeers}>
          Details →
        </button>
      </header>
      {peers.error ? <ErrorNotice error={peers.error} compact /> : null}
      <div className="panel-body">
        {peers.data === null ? (
          peers.error ? null : <LoadingState label="Loading peers…" />
        ) : rows.length === 0 ? (
          <EmptyState title="No peers yet">Peers appear when they connect over LAN or LoRa.</EmptyState>
        ) : (
          <table className="data-table frontier-table">
            <colgroup>
              <col />
              <col className="col-heard" />
              <col className="col-difference" />
              <col className="col-sending" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Peer</th>
                <th scope="col">Heard</th>
                <th scope="col">Difference</th>
                <th scope="col">Sending</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((peer) => {
                const issues = issueCount(peer.row);
                return (
                  <tr key={peer.row.node} {...peerRowAttributes(peer.row)}>
                    <td>
                      <PeerName row={peer.row} />
                      {issues > 0 ? (
                        <span className="badge badge-warn issue-badge" title="Refusals and problems; see the Peers view">
                          {formatCount(issues)} issues
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <LastHeard row={peer.row} nowMs={now} showState={false} />
                    </td>
                    <td>
                      <SyncDifference row={peer.row} />
                    </td>
                    <td>
                      <SyncProgress peer={peer} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
