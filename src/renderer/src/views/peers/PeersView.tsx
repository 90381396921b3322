// Peers: every node this one syncs with, how it reaches them, how far apart they are, what is in
// flight, and anything that went wrong. One row per peer; issues expand below their row.
import { Fragment, useState } from 'react';
import { Icon } from '../../components/Icon';
import { EmptyState, ErrorNotice, LoadingState } from '../../components/StatusMessage';
import { formatCount, plural } from '../../lib/format';
import { useStore } from '../../store/external-store';
import { useNodeNow, useSession } from '../../store/session-context';
import { issueCount, LastHeard, peerRowAttributes, LinkList, PeerName, statusLegend, SyncDifference, SyncProgress, Traffic } from './peer-cells';
import { FleetPanel } from './FleetPanel';
import { FleetFiltersPanel } from './FleetFiltersPanel';
import { LifecycleInspector } from './LifecycleInspector';
import { DevicesPanel } from './DevicesPanel';
import { FrontierDigest } from './FrontierDigest';
import { IssueChips, IssueDetails } from './PeerIssues';
import { filterAndSortPeers, NO_PEER_FILTER, peerStatus, type PeerFilter, type PeerSort } from './peer-table';
import { PeerFilterBar, SortHeader } from './PeerTableControls';
import { PeerMatrix } from './PeerMatrix';
import { RadioPanel } from './RadioPanel';

const COLUMNS = 7;

export function PeersView() {
  const session = useSession();
  const peers = useStore(session.peers.store);
  const names = useStore(session.names.store).data;
  const now = useNodeNow(1000);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState<PeerFilter>(NO_PEER_FILTER);
  const [sort, setSort] = useState<PeerSort>({ key: 'name', descending: false });
  const all = peers.data ?? [];
  const rows = filterAndSortPeers(all, filter, sort, now);
  const connected = all.filter((p) => p.row.connected).length;
  const online = all.filter((p) => peerStatus(p.row, now) === 'online').length;
  const inSync = all.filter((p) => p.row.inSync).length;
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
            {peers.data === null ? 'Loading…' : `${plural(all.length, 'peer')} · ${formatCount(connected)} connected (${formatCount(online)} online) · ${formatCount(inSync)} in sync`}
          </p>
        </div>
        <FrontierDigest />
      </header>
      {peers.error ? <ErrorNotice error={peers.error} context={peers.data ? 'Refresh failed; showing the last data' : 'Could not load peers'} /> : null}
      <div className="page-body">
        <RadioPanel />
        {peers.data === null ? (
          peers.error ? null : <LoadingState label="Loading peers…" />
        ) : all.length === 0 ? (
          <EmptyState title="No peers yet">
            Peers appear when they connect over LAN or LoRa (attach a radio above), or when a node given with <code>--peer host:port</code> answers.
          </EmptyState>
        ) : (
          <div className="table-card">
            <PeerFilterBar filter={filter} onChange={setFilter} shown={rows.length} total={all.length} />
            <table className="data-table peers-table">
              <thead>
                <tr>
                  <SortHeader sortKey="name" sort={sort} onSort={setSort}>
                    Peer
                  </SortHeader>
                  <SortHeader sortKey="status" sort={sort} onSort={setSort} title={statusLegend()}>
                    Status
                  </SortHeader>
                  <th scope="col">
                    Links{' '}
                    <span className="sort-group">
                      <SortToggle label="RSSI" sortKey="rssi" sort={sort} onSort={setSort} />
                      <SortToggle label="SNR" sortKey="snr" sort={sort} onSort={setSort} />
                    </span>
                  </th>
                  <SortHeader sortKey="difference" sort={sort} onSort={setSort}>
                    Difference
                  </SortHeader>
                  <th scope="col">Sync progress</th>
                  <SortHeader sortKey="traffic" sort={sort} onSort={setSort} className="num col-traffic" title="Events and bytes sent to (↑) and received from (↓) the peer">
                    Sent / received
                  </SortHeader>
                  <th scope="col">Refusals &amp; problems</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 ? (
                  <tr>
                    <td colSpan={COLUMNS} className="muted">
                      No peer matches the filter.{' '}
                      <button type="button" className="link-button" onClick={() => setFilter(NO_PEER_FILTER)}>
                        Clear the filter
                      </button>
                    </td>
                  </tr>
                ) : null}
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
        {all.length > 0 ? (
          <p className="table-footnote">
            <strong>Status</strong>: {statusLegend()} <strong>RSSI</strong> is good from -100 dBm and poor below -115 dBm; <strong>SNR</strong> is good from 0 dB and poor below -7.5 dB. <strong>Difference</strong> counts events one side holds and the other lacks, from the peer&apos;s last frontier. <strong>Sync progress</strong>{' '}
            shows the events queued to send (↑) and those still to come from the peer (↓), each with how much of the current catch-up is done. Hover a problem code for its message, or expand the row.
          </p>
        ) : null}
        <PeerMatrix />
        <FleetPanel />
        <FleetFiltersPanel />
        <LifecycleInspector />
        <DevicesPanel nowMs={now} />
      </div>
    </div>
  );
}

/** A sort control inside a header that holds more than one (the Links column sorts by RSSI or SNR). */
function SortToggle({ label, sortKey, sort, onSort }: { label: string; sortKey: 'rssi' | 'snr'; sort: PeerSort; onSort: (next: PeerSort) => void }) {
  const active = sort.key === sortKey;
  return (
    <button type="button" className={active ? 'sort-button is-active' : 'sort-button'} data-sort={sortKey} aria-pressed={active} onClick={() => onSort({ key: sortKey, descending: active ? !sort.descending : true })} title={`Sort by ${label}, strongest first`}>
      {label}
      <span className="sort-arrow" aria-hidden="true">
        {active ? (sort.descending ? '▼' : '▲') : '↕'}
      </span>
    </button>
  );
}
