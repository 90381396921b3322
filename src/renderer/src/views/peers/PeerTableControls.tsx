// The peers table's filter bar and its sortable column headers.
import type { ReactNode } from 'react';
import type { PeerFilter, PeerSort, PeerSortKey } from './peer-table';

export function PeerFilterBar({ filter, onChange, shown, total }: { filter: PeerFilter; onChange: (next: PeerFilter) => void; shown: number; total: number }) {
  return (
    <div className="peer-filter-bar" role="search">
      <input
        className="text-input filter-input"
        type="search"
        name="peer-filter"
        placeholder="Filter by name or id…"
        value={filter.text}
        onChange={(e) => onChange({ ...filter, text: e.target.value })}
        aria-label="Filter peers by name or id"
      />
      <label className="inline-field">
        Status
        <select name="peer-status" value={filter.status} onChange={(e) => onChange({ ...filter, status: e.target.value as PeerFilter['status'] })}>
          <option value="all">all</option>
          <option value="online">online</option>
          <option value="quiet">quiet</option>
          <option value="offline">offline</option>
        </select>
      </label>
      <label className="inline-field">
        Link
        <select name="peer-link" value={filter.link} onChange={(e) => onChange({ ...filter, link: e.target.value as PeerFilter['link'] })}>
          <option value="all">any</option>
          <option value="lan">LAN</option>
          <option value="lora">LoRa</option>
          <option value="memory">Sim</option>
        </select>
      </label>
      <span className="muted" data-testid="peer-filter-count">
        {shown === total ? `${total} shown` : `${shown} of ${total} shown`}
      </span>
    </div>
  );
}

/** A column header that sorts the table: a click sorts by it, a second click turns the order round. */
export function SortHeader({ sortKey, sort, onSort, children, className, title }: { sortKey: PeerSortKey; sort: PeerSort; onSort: (next: PeerSort) => void; children: ReactNode; className?: string; title?: string }) {
  const active = sort.key === sortKey;
  const ariaSort = active ? (sort.descending ? 'descending' : 'ascending') : 'none';
  return (
    <th scope="col" className={className} aria-sort={ariaSort} title={title}>
      <button
        type="button"
        className={active ? 'sort-button is-active' : 'sort-button'}
        data-sort={sortKey}
        onClick={() => onSort({ key: sortKey, descending: active ? !sort.descending : sortKey !== 'name' && sortKey !== 'status' })}
      >
        {children}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (sort.descending ? '▼' : '▲') : '↕'}
        </span>
      </button>
    </th>
  );
}
