// Alerts beside the map: open ones first to act on (acknowledge, with a note), acknowledged ones
// with who did it (on any node), and a visible, sound-free notice when a new one comes in.
// A truck gone quiet is decided on this node's clock, and says so.
import { useEffect, useRef, useState } from 'react';
import type { AlertDto, AlertsDto } from '../../../../shared/api';
import { ErrorNotice } from '../../components/StatusMessage';
import { describeError } from '../../lib/errors';
import { formatAge, formatClockTime } from '../../lib/format';
import { useSession } from '../../store/session-context';

type Filter = 'open' | 'acknowledged' | 'all';

const KIND_LABEL: Readonly<Record<AlertDto['kind'], string>> = {
  geofence_enter: 'entered',
  geofence_exit: 'left',
  overspeed: 'overspeed',
  stopped: 'stopped',
  quiet: 'quiet',
};

export interface AlertsPanelProps {
  readonly data: AlertsDto | null;
  readonly nowMs: number;
  readonly onPickTruck: (truck: string) => void;
  readonly onChanged: () => void;
}

export function AlertsPanel({ data, nowMs, onPickTruck, onChanged }: AlertsPanelProps) {
  const [filter, setFilter] = useState<Filter>('open');
  const [fresh, setFresh] = useState<AlertDto | null>(null);
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!data) return;
    const open = data.alerts.filter((a) => a.ack === null);
    // The first answer is what was already there; only later ones are news.
    if (seen.current) {
      const news = open.filter((a) => !seen.current!.has(a.id));
      if (news.length) setFresh(news[0]!);
    }
    seen.current = new Set(data.alerts.map((a) => a.id));
  }, [data]);
  useEffect(() => {
    if (!fresh) return;
    const timer = setTimeout(() => setFresh(null), 10_000);
    return () => clearTimeout(timer);
  }, [fresh]);
  const shown = (data?.alerts ?? []).filter((a) => filter === 'all' || (a.ack === null) === (filter === 'open'));
  return (
    <section className="panel alerts-panel" aria-label="Alerts" data-testid="alerts-panel">
      <header className="panel-header">
        <h2>
          Alerts <span className={data?.open ? 'panel-count panel-count-warn' : 'panel-count'}>{data?.open ?? 0}</span>
        </h2>
        <span className="segmented" role="group" aria-label="Show alerts">
          {(['open', 'acknowledged', 'all'] as const).map((f) => (
            <button key={f} type="button" className={f === filter ? 'segment is-active' : 'segment'} aria-pressed={f === filter} onClick={() => setFilter(f)}>
              {f}
            </button>
          ))}
        </span>
      </header>
      {fresh ? (
        <div className="alert-notice" role="status" data-testid="alert-notice">
          New alert: {fresh.summary}
          <button type="button" className="button button-small" onClick={() => setFresh(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      <div className="panel-scroll">
        {shown.length === 0 ? (
          <p className="panel-note">
            {filter === 'open' ? 'No open alerts.' : 'No alerts here.'} Alerts come from geofences (<code>mandala geofence add</code>), the overspeed and stopped limits
            of the fleet filters, and trucks gone quiet.
          </p>
        ) : (
          <ul className="alert-list">
            {shown.map((a) => (
              <AlertRow key={a.id} alert={a} nowMs={nowMs} onPickTruck={onPickTruck} onChanged={onChanged} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function AlertRow({ alert, nowMs, onPickTruck, onChanged }: { alert: AlertDto; nowMs: number; onPickTruck: (truck: string) => void; onChanged: () => void }) {
  const { bridge } = useSession();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReturnType<typeof describeError> | null>(null);
  const ack = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await bridge.call('alerts.ack', note.trim() ? { id: alert.id, note: note.trim() } : { id: alert.id });
      if (!r.ok) setError({ code: r.code, message: r.message });
      else onChanged();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className={alert.ack ? 'alert-row is-acked' : `alert-row is-open kind-${alert.kind}`} data-testid="alert-row" data-alert={alert.id} data-kind={alert.kind}>
      <div className="alert-line">
        <span className={`badge alert-kind kind-${alert.kind}`}>{KIND_LABEL[alert.kind]}</span>
        <button type="button" className="link-button" onClick={() => onPickTruck(alert.truck)}>
          {alert.summary}
        </button>
      </div>
      <div className="alert-meta muted">
        {formatClockTime(alert.atMs, nowMs)} · {formatAge(nowMs - alert.atMs)}
        {alert.local ? <span title="Decided on this node's clock: other nodes decide it on theirs"> · this node&apos;s clock</span> : null}
        {alert.ack ? (
          <span data-testid="alert-ack">
            {' '}
            · acknowledged by {alert.ack.name}
            {alert.ack.note ? `: ${alert.ack.note}` : ''}
          </span>
        ) : null}
      </div>
      {alert.ack ? null : (
        <form
          className="alert-ack"
          onSubmit={(e) => {
            e.preventDefault();
            void ack();
          }}
        >
          <input className="text-input" value={note} onChange={(e) => setNote(e.target.value)} placeholder="note (optional)" aria-label="Note" />
          <button type="submit" className="button button-small" disabled={busy}>
            Acknowledge
          </button>
        </form>
      )}
      {error ? <ErrorNotice error={error} compact /> : null}
    </li>
  );
}
