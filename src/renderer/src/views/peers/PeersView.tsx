// Peers: every node this one syncs with, how it reaches them, how far apart they are, what is in
// flight, and anything that went wrong. One row per peer; issues expand below their row.
import { Fragment, useState } from 'react';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorNotice, LoadingState } from '../../components/StatusMessage';
import { formatCount, plural } from '../../lib/format';
import { useStore } from '../../store/external-store';
import { useNodeNow, useSession } from '../../store/session-context';
import { issueCount, LastHeard, peerRowAttributes, LinkList, PeerName, SyncDifference, SyncProgress, Traffic } from './peer-cells';
import { FleetPanel } from './FleetPanel';
import { FleetFiltersPanel } from './FleetFiltersPanel';
import { LifecycleInspector } from './LifecycleInspector';
import { DevicesPanel } from './DevicesPanel';
import { FrontierDigest } from './FrontierDigest';
import { IssueChips, IssueDetails } from './PeerIssues';
import { sortPeers } from './sort-peers';

const COLUMNS = 7;

export function PeersView() {
  const session = useSession();
  const peers = useStore(session.peers.store);
  const names = useStore(session.names.store).data;
  const now = useNodeNow(1000);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const rows = sortPeers(peers.data ?? []);
  const connected = rows.filter((p) => p.row.connected).length;
  const inSync = rows.filter((p) => p.row.inSync).length;
  const toggle = (node: string) =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (!next.delete(node)) next.add(node);
      return next;
    });

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Peers</h1>
          <p className="page-subtitle">
            {peers.data === null ? 'Loading…' : `${plural(rows.length, 'peer')} · ${formatCount(connected)} connected · ${formatCount(inSync)} in sync`}
          </p>
        </div>
        <FrontierDigest />
      </header>
      {peers.error ? <ErrorNotice error={peers.error} context={peers.data ? 'Refresh failed; showing the last data' : 'Could not load peers'} /> : null}
      <div className="page-body">
        <FleetPanel />
        <FleetFiltersPanel />
        <LifecycleInspector />
        <DevicesPanel nowMs={now} />
        {peers.data === null ? (
          peers.error ? null : <LoadingState label="Loading peers…" />
        ) : rows.length === 0 ? (
          <EmptyState title="No peers yet">
            Peers appear when they connect over LAN or LoRa, or when a node given with <code>--peer host:port</code> answers.
          </EmptyState>
        ) : (
          <div className="table-card">
            <table className="data-table peers-table">
              <thead>
                <tr>
                  <th scope="col">Peer</th>
                  <th scope="col">Status</th>
                  <th scope="col">Links</th>
                  <th scope="col">Difference</th>
                  <th scope="col">Sync progress</th>
                  <th scope="col" className="num col-traffic" title="Events sent to (↑) and received from (↓) the peer">
                    Events sent / received
                  </th>
                  <th scope="col">Refusals &amp; problems</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((peer) => {
                  const issues = issueCount(peer.row);
                  const open = expanded.has(peer.row.node);
                  return (
                    <Fragment key={peer.row.node}>
                      <tr {...peerRowAttributes(peer.row)}>
                        <td>
                          <PeerName row={peer.row} />
                        </td>
                        <td>
                          <LastHeard row={peer.row} nowMs={now} />
                        </td>
                        <td>
                          <LinkList links={peer.row.links} />
                        </td>
                        <td>
                          <SyncDifference row={peer.row} />
                        </td>
                        <td>
                          <SyncProgress peer={peer} />
                        </td>
                        <td className="num">
                          <Traffic row={peer.row} />
                        </td>
                        <td>
                          <div className="issues-cell">
                            <IssueChips row={peer.row} />
                            {issues > 0 ? (
                              <button type="button" className="icon-button" aria-expanded={open} onClick={() => toggle(peer.row.node)} title={open ? 'Hide messages' : 'Show messages'}>
                                <Icon name={open ? 'chevronDown' : 'chevronRight'} size={14} />
                              </button>
                            ) : null}
                          </div>
                        </td>
                      </tr>
                      {open ? (
                        <tr className="detail-row">
                          <td colSpan={COLUMNS}>
                            <IssueDetails row={peer.row} names={names} nowMs={now} />
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {rows.length > 0 ? (
          <p className="table-footnote">
            <strong>Difference</strong> counts events one side holds and the other lacks, from the peer&apos;s last frontier. <strong>Sync progress</strong>{' '}
            shows events queued to send and how much of the current catch-up has gone out. Hover a problem code for its message, or expand the row.
          </p>
        ) : null}
      </div>
    </div>
  );
}
