// Records: the list on the left, the selected record on the right, and a form to start one.
import { useMemo, useState } from 'react';
import type { RecordDto } from '../../../../shared/api';
import { selectableRowProps } from '../../components/selectable-row';
import { EmptyState, ErrorNotice, LoadingState } from '../../components/StatusMessage';
import { formatCount, plural } from '../../lib/format';
import { useStore } from '../../store/external-store';
import { authorLabel } from '../../store/names-store';
import { useSession } from '../../store/session-context';
import { CreateRecordForm } from './CreateRecordForm';
import { ConflictBadge } from './FieldConflict';
import { FormBadge, RecordDetail } from './RecordDetail';
import { RECORD_KEYS_HELP } from './record-keys';
import { useRecordKeys } from './use-record-keys';

const openConflicts = (r: RecordDto): number => r.fields.filter((f) => f.conflict !== null).length;

export function RecordsView() {
  const session = useSession();
  const records = useStore(session.records.store);
  const names = useStore(session.names.store).data;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const all = useMemo(() => records.data ?? [], [records.data]);
  const knownForms = useMemo(() => [...new Set(all.map((r) => r.form))].sort(), [all]);
  const needle = filter.trim().toLowerCase();
  const shown = needle ? all.filter((r) => r.recordId.toLowerCase().includes(needle) || r.form.toLowerCase().includes(needle)) : all;
  const selected = all.find((r) => r.recordId === selectedId) ?? null;
  const conflictCount = all.reduce((sum, r) => sum + openConflicts(r), 0);
  const shownIds = useMemo(() => shown.map((r) => r.recordId), [shown]);
  useRecordKeys(shownIds, selectedId, setSelectedId);

  return (
    <div className="page records-page">
      <header className="page-header">
        <div>
          <h1>Records</h1>
          <p className="page-subtitle">
            {records.data === null ? 'Loading…' : `${plural(all.length, 'record')} · ${plural(knownForms.length, 'form')}${conflictCount > 0 ? ` · ${plural(conflictCount, 'open conflict')}` : ''}`}
          </p>
        </div>
        <CreateRecordForm knownForms={knownForms} onCreated={setSelectedId} />
      </header>
      {records.error ? <ErrorNotice error={records.error} context={records.data ? 'Refresh failed; showing the last data' : 'Could not load records'} /> : null}
      <div className="records-layout">
        <section className="panel records-list-panel" aria-label="Record list">
          <div className="panel-toolbar">
            <input className="text-input filter-input" type="search" placeholder="Filter by id or form…" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter records" />
          </div>
          <div className="panel-body">
            {records.data === null ? (
              records.error ? null : <LoadingState label="Loading records…" />
            ) : all.length === 0 ? (
              <EmptyState title="No records yet">Create one above, or wait for peers to sync theirs.</EmptyState>
            ) : shown.length === 0 ? (
              <EmptyState title={`No record matches “${filter}”`} />
            ) : (
              <table className="data-table records-table">
                <thead>
                  <tr>
                    <th scope="col">Record</th>
                    <th scope="col">Form</th>
                    <th scope="col" className="num">
                      Fields
                    </th>
                    <th scope="col" className="num">
                      Notes
                    </th>
                    <th scope="col">Created by</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((r) => (
                    <tr
                      key={r.recordId}
                      data-testid="record-row"
                      data-record={r.recordId}
                      className={r.recordId === selectedId ? 'record-row is-selected' : 'record-row'}
                      {...selectableRowProps(() => setSelectedId(r.recordId), r.recordId === selectedId)}
                    >
                      <td className="record-id">
                        {r.recordId}
                        {openConflicts(r) > 0 ? <ConflictBadge count={openConflicts(r)} /> : null}
                      </td>
                      <td>
                        <FormBadge form={r.form} />
                      </td>
                      <td className="num">{formatCount(r.fields.length)}</td>
                      <td className="num">{formatCount(r.notes.length)}</td>
                      <td className="muted">{r.createdBy ? authorLabel(names, r.createdBy) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <p className="keys-help muted" data-testid="records-keys-help">
            {RECORD_KEYS_HELP}
          </p>
        </section>
        <section className="panel record-detail-panel" aria-label="Selected record">
          {selected ? (
            <RecordDetail key={selected.recordId} record={selected} names={names} />
          ) : selectedId ? (
            <LoadingState label={`Waiting for ${selectedId} to appear…`} />
          ) : (
            <EmptyState title="No record selected">Pick a record from the list to see its fields and notes and to edit it.</EmptyState>
          )}
        </section>
      </div>
    </div>
  );
}
