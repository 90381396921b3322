// The fleet's plausibility filters: which fixes are flagged (kept, shown, left out of the current
// position and of live alerts), with their thresholds. Saving judges every truck again; reports
// name the filters they were made with, so a change never makes an earlier report wrong.
import { useEffect, useState, type FormEvent } from 'react';
import type { ApiErrorDto, FleetSettingsDto } from '../../../../shared/api';
import { ErrorNotice } from '../../components/StatusMessage';
import { describeError } from '../../lib/errors';
import { useNodeQuery } from '../../store/use-node-query';
import { useSession } from '../../store/session-context';

type SettingValue = number | boolean | null;

/** What each key is called in the form (its code stays visible beside it). */
const LABEL: Readonly<Record<string, string>> = {
  max_speed_kmh: 'Max speed (km/h)',
  jitter_m: 'GPS jitter (m)',
  future_tolerance_ms: 'Future tolerance (ms)',
  max_age_ms: 'Max age (ms)',
  max_accuracy_m: 'Worst accuracy (m)',
  duplicates: 'Flag duplicates',
  jump_m: 'Jump distance (m)',
  jump_within_ms: 'Jump window (ms)',
  drift_radius_m: 'Drift radius (m)',
  drift_max_speed_kmh: 'Standing below (km/h)',
  latch: 'Event-time latch',
};

/** A duration setting in words beside its milliseconds ("30 d", "5 min"). */
function durationWords(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'min'], [1000, 's']];
  for (const [size, unit] of units) if (ms >= size) return `${Math.round((ms / size) * 10) / 10} ${unit}`;
  return `${ms} ms`;
}

function differs(a: Readonly<Record<string, SettingValue>>, b: Readonly<Record<string, SettingValue>>): string[] {
  return Object.keys(a).filter((k) => a[k] !== b[k]);
}

export function FleetFiltersPanel() {
  const { bridge } = useSession();
  const query = useNodeQuery('fleet-settings', (s) => s.bridge.call('fleet.settings', {}), ['node']);
  const [draft, setDraft] = useState<Record<string, SettingValue> | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiErrorDto | null>(null);
  const [saved, setSaved] = useState<string[] | null>(null);
  const info: FleetSettingsDto | null = query.data;
  useEffect(() => {
    if (info && draft === null) setDraft({ ...info.settings });
  }, [info, draft]);
  if (query.error && !info) return <ErrorNotice error={query.error} context="Could not load the fleet filters" />;
  if (!info || !draft) return null;
  const changed = differs(draft, info.settings);
  const save = async (next: Record<string, SettingValue>) => {
    setSaving(true);
    setError(null);
    try {
      const answer = await bridge.call('fleet.settings.set', { settings: next });
      setSaved(differs(answer.settings, info.settings));
      setDraft({ ...answer.settings });
      query.refresh();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setSaving(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(Object.fromEntries(changed.map((k) => [k, draft[k]!])));
  };
  return (
    <section className="panel fleet-filters" aria-label="Fleet filters" data-testid="fleet-filters">
      <header className="panel-header">
        <h2>Fleet filters</h2>
        <span className="muted">{changed.length ? `${changed.length} unsaved` : 'in force'}</span>
      </header>
      <p className="panel-note">
        A fix a filter flags is kept and shown with its reason, and left out of the current position and of alerts. Reports name the filters they were made
        with. Also <code>mandala fleet-config</code>.
      </p>
      <form onSubmit={submit}>
        <div className="filters-grid">
          {Object.keys(info.settings).map((key) => (
            <FilterRow key={key} name={key} value={draft[key]!} fallback={info.defaults[key]!} help={info.help[key] ?? ''} changed={changed.includes(key)} onChange={(v) => setDraft({ ...draft, [key]: v })} />
          ))}
        </div>
        <div className="form-row">
          <button type="submit" className="button button-primary" disabled={saving || changed.length === 0}>
            {saving ? 'Judging every truck again…' : 'Save filters'}
          </button>
          <button type="button" className="button" disabled={saving || differs(info.defaults, info.settings).length === 0} onClick={() => void save({ ...info.defaults })}>
            Back to defaults
          </button>
          {changed.length ? (
            <button type="button" className="button" onClick={() => setDraft({ ...info.settings })}>
              Discard
            </button>
          ) : null}
          {saved && !saving && !error ? <span className="form-ok" role="status">{saved.length ? `Saved: ${saved.join(', ')}; every truck judged again` : 'Nothing changed'}</span> : null}
        </div>
        {error ? <ErrorNotice error={error} context="The filters were not changed" compact /> : null}
      </form>
    </section>
  );
}

function FilterRow({ name, value, fallback, help, changed, onChange }: { name: string; value: SettingValue; fallback: SettingValue; help: string; changed: boolean; onChange: (v: SettingValue) => void }) {
  const id = `filter-${name}`;
  const isFlag = typeof (value ?? fallback) === 'boolean';
  return (
    <div className={changed ? 'filter-row is-changed' : 'filter-row'} data-testid="filter-row" data-setting={name}>
      <label htmlFor={id} className="filter-label">
        {LABEL[name] ?? name} <code>{name}</code>
      </label>
      {isFlag ? (
        <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
      ) : (
        <span className="filter-input">
          <input
            id={id}
            className="text-input"
            type="number"
            min={0}
            step="any"
            value={value === null ? '' : String(value)}
            placeholder="off"
            onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
          />
          {name.endsWith('_ms') && typeof value === 'number' ? <span className="filter-unit">{durationWords(value)}</span> : null}
        </span>
      )}
      <span className="filter-help">{help}</span>
    </div>
  );
}
