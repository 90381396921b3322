// What the timeline shows: kinds as chips (with how many entries each has), and record, truck and
// author pickers filled from what the node has seen. Filtering happens on the node.
import type { ConflictKindDto, ConflictListDto } from '../../../../shared/api';
import { formatCount } from '../../lib/format';
import { authorLabel, type AuthorNames } from '../../store/names-store';
import { CONFLICT_KINDS, kindMeta } from './conflict-kinds';

export interface ConflictFilterState {
  /** Empty: every kind. */
  readonly kinds: readonly ConflictKindDto[];
  readonly record: string;
  readonly truck: string;
  readonly author: string;
}

export const NO_FILTERS: ConflictFilterState = { kinds: [], record: '', truck: '', author: '' };

export function hasFilters(f: ConflictFilterState): boolean {
  return f.kinds.length > 0 || f.record !== '' || f.truck !== '' || f.author !== '';
}

function Picker({ label, value, options, onChange, describe }: { label: string; value: string; options: readonly string[]; onChange: (v: string) => void; describe?: (v: string) => string }) {
  // A value picked earlier stays listed even when the node no longer reports it.
  const all = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <label className="filter-picker">
      <span className="field-label">{label}</span>
      <select className="text-input select-input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={`filter-${label.toLowerCase()}`} disabled={all.length === 0}>
        <option value="">{all.length === 0 ? 'none seen' : 'any'}</option>
        {all.map((o) => (
          <option key={o} value={o}>
            {describe ? describe(o) : o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ConflictFilters({ list, filters, names, onChange }: { list: ConflictListDto | null; filters: ConflictFilterState; names: AuthorNames | null; onChange: (next: ConflictFilterState) => void }) {
  const counts = list?.counts ?? {};
  const toggle = (kind: ConflictKindDto) =>
    onChange({ ...filters, kinds: filters.kinds.includes(kind) ? filters.kinds.filter((k) => k !== kind) : [...filters.kinds, kind] });
  return (
    <div className="conflict-filters" data-testid="conflict-filters">
      <div className="kind-chips" role="group" aria-label="Kinds">
        <button type="button" className={filters.kinds.length === 0 ? 'kind-chip is-on' : 'kind-chip'} aria-pressed={filters.kinds.length === 0} onClick={() => onChange({ ...filters, kinds: [] })}>
          All kinds <span className="kind-chip-count">{formatCount(list?.total ?? null)}</span>
        </button>
        {CONFLICT_KINDS.map((kind) => {
          const meta = kindMeta(kind);
          const on = filters.kinds.includes(kind);
          const count = counts[kind] ?? 0;
          return (
            <button
              key={kind}
              type="button"
              className={on ? 'kind-chip is-on' : 'kind-chip'}
              aria-pressed={on}
              onClick={() => toggle(kind)}
              disabled={count === 0 && !on}
              title={meta.explain}
              data-testid="kind-chip"
              data-kind={kind}
            >
              <span className="kind-swatch" style={{ background: meta.color }} />
              {meta.label} <span className="kind-chip-count">{formatCount(count)}</span>
            </button>
          );
        })}
      </div>
      <div className="filter-pickers">
        <Picker label="Record" value={filters.record} options={list?.records ?? []} onChange={(record) => onChange({ ...filters, record })} />
        <Picker label="Truck" value={filters.truck} options={list?.trucks ?? []} onChange={(truck) => onChange({ ...filters, truck })} />
        <Picker label="Author" value={filters.author} options={list?.authors ?? []} onChange={(author) => onChange({ ...filters, author })} describe={(a) => authorLabel(names, a)} />
        {hasFilters(filters) ? (
          <button type="button" className="link-button clear-filters" onClick={() => onChange(NO_FILTERS)}>
            Clear filters
          </button>
        ) : null}
      </div>
    </div>
  );
}
