// The lifecycle inspector: find a delivery by its webhook-id, a truck or an event id, and see each
// step its positions went through and where they are now, in words ("denied by gate …",
// "waiting in the inbox, 1,204 positions ahead", "not yet acknowledged by peer base-2").
import { useState, type FormEvent } from 'react';
import type { ApiErrorDto, LifecycleDto } from '../../../../shared/api';
import { ErrorNotice } from '../../components/StatusMessage';
import { describeError } from '../../lib/errors';
import { formatClockTime } from '../../lib/format';
import { useNodeNow, useSession } from '../../store/session-context';

const SOURCE_LABELS: Readonly<Record<string, string>> = { webhook: 'vendor webhook', osmand: 'phone (OsmAnd)', gps: "this kit's GPS", peer: 'peer sync', cli: 'command line' };

const duration = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

export function LifecycleInspector() {
  const { bridge } = useSession();
  const now = useNodeNow(5000);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<readonly LifecycleDto[] | null>(null);
  const [error, setError] = useState<ApiErrorDto | null>(null);
  const search = async (event: FormEvent) => {
    event.preventDefault();
    if (!query.trim()) return;
    setError(null);
    try {
      setFound(await bridge.call('trace.find', { query: query.trim() }));
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <section className="panel lifecycle-panel" aria-label="Lifecycle inspector" data-testid="lifecycle-inspector">
      <header className="panel-header">
        <h2>Lifecycle inspector</h2>
        <span className="muted">where a position is, and why</span>
      </header>
      <form className="inline-form" onSubmit={(e) => void search(e)}>
        <div className="form-row">
          <label className="field field-wide">
            <span className="field-label">Webhook-id, truck, or event id (8+ hex digits)</span>
            <input className="text-input" name="query" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="msg_2Lk… or T-12 or 3fa9c01b" spellCheck={false} />
          </label>
          <button type="submit" className="button button-primary" disabled={!query.trim()}>
            Find
          </button>
        </div>
      </form>
      {error ? <ErrorNotice error={error} compact /> : null}
      {found === null ? null : found.length === 0 ? (
        <p className="panel-note">No trace of “{query}” on this node. Traces cover what this node took in lately (its newest 50,000 deliveries, kept across restarts).</p>
      ) : (
        <ul className="lifecycle-list">
          {found.map((t) => (
            <li key={t.traceId} className="lifecycle-trace" data-testid="lifecycle-trace" data-trace={t.traceId}>
              <div className="lifecycle-title">
                {t.webhookId ? <code>{t.webhookId}</code> : null} {SOURCE_LABELS[t.source] ?? t.source} · {t.positions} position{t.positions === 1 ? '' : 's'}
                {t.trucks.length ? ` · ${t.trucks.slice(0, 5).join(', ')}${t.trucks.length > 5 ? '…' : ''}` : ''} · {formatClockTime(t.startMs, now)}
              </div>
              <ol className="lifecycle-steps">
                {t.steps.map((s, i) => (
                  <li key={i} className={s.ok ? 'lifecycle-step' : 'lifecycle-step is-refused'}>
                    {s.words}
                    {s.durationMs >= 1 ? <span className="muted"> ({duration(s.durationMs)})</span> : null}
                  </li>
                ))}
              </ol>
              {t.now.length ? (
                <div className="lifecycle-now" data-testid="lifecycle-now">
                  <span className="field-label">Now</span>
                  <ul>
                    {t.now.map((w, i) => (
                      <li key={i}>{w}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
