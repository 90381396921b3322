// Which trucks to replay (up to six, in their map colours) and over which window: the last 6 h,
// day, week or month on the node's clock, the trucks' whole history, or from and to times.
import { useMemo, useState } from 'react';
import { formatCount } from '../../lib/format';
import { MAX_REPLAY_TRUCKS, type ReplayParams } from './replay-params';

const HOUR = 3_600_000;
const PRESETS = [
  { id: '6h', label: 'Last 6 hours', ms: 6 * HOUR },
  { id: '24h', label: 'Last 24 hours', ms: 24 * HOUR },
  { id: '7d', label: 'Last 7 days', ms: 7 * 24 * HOUR },
  { id: '30d', label: 'Last 30 days', ms: 30 * 24 * HOUR },
  { id: 'all', label: 'Whole history', ms: null },
] as const;

type WindowChoice = (typeof PRESETS)[number]['id'] | 'custom';

const pad = (n: number) => String(n).padStart(2, '0');
/** An instant as a datetime-local input's value, in local time. */
function localInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function choiceOf(p: ReplayParams): WindowChoice {
  if (p.fromMs === null && p.toMs === null) return 'all';
  return 'custom';
}

export interface ReplayPickerProps {
  readonly trucks: readonly string[];
  readonly loaded: boolean;
  readonly colors: ReadonlyMap<string, string>;
  readonly params: ReplayParams;
  readonly nowMs: number;
  readonly onChange: (p: ReplayParams) => void;
}

export function ReplayPicker({ trucks, loaded, colors, params, nowMs, onChange }: ReplayPickerProps) {
  const [filter, setFilter] = useState('');
  const [choice, setChoice] = useState<WindowChoice>(() => choiceOf(params));
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    // Chosen trucks first, then the rest, each in id order.
    const list = f ? trucks.filter((t) => t.toLowerCase().includes(f)) : trucks;
    return [...list.filter((t) => params.trucks.includes(t)), ...list.filter((t) => !params.trucks.includes(t))];
  }, [trucks, filter, params.trucks]);
  const full = params.trucks.length >= MAX_REPLAY_TRUCKS;

  const toggle = (truck: string) => {
    const on = params.trucks.includes(truck);
    onChange({ ...params, trucks: on ? params.trucks.filter((t) => t !== truck) : [...params.trucks, truck] });
  };
  const chooseWindow = (id: WindowChoice) => {
    setChoice(id);
    if (id === 'custom') {
      onChange({ ...params, fromMs: params.fromMs ?? nowMs - 24 * HOUR, toMs: params.toMs ?? nowMs });
      return;
    }
    const preset = PRESETS.find((p) => p.id === id)!;
    onChange({ ...params, fromMs: preset.ms === null ? null : nowMs - preset.ms, toMs: preset.ms === null ? null : nowMs });
  };
  const setTime = (k: 'fromMs' | 'toMs', value: string) => {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) onChange({ ...params, [k]: ms });
  };

  return (
    <section className="panel replay-picker" aria-label="What to replay">
      <header className="panel-header">
        <h2>
          Replay <span className="panel-count">{formatCount(params.trucks.length)}</span>
        </h2>
      </header>
      <div className="replay-picker-body">
        <label className="replay-window">
          <span className="muted">Window</span>
          <select name="window" value={choice} onChange={(e) => chooseWindow(e.target.value as WindowChoice)}>
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
            <option value="custom">From … to …</option>
          </select>
        </label>
        {choice === 'custom' ? (
          <div className="replay-range">
            <label>
              <span className="muted">From</span>
              <input type="datetime-local" name="from" className="text-input" value={params.fromMs === null ? '' : localInput(params.fromMs)} onChange={(e) => setTime('fromMs', e.target.value)} />
            </label>
            <label>
              <span className="muted">To</span>
              <input type="datetime-local" name="to" className="text-input" value={params.toMs === null ? '' : localInput(params.toMs)} onChange={(e) => setTime('toMs', e.target.value)} />
            </label>
            {params.fromMs !== null && params.toMs !== null && params.toMs < params.fromMs ? <p className="panel-note is-error">The end is before the start.</p> : null}
          </div>
        ) : null}
        {trucks.length > 8 ? <input className="text-input filter-input" type="search" placeholder="Filter trucks…" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter trucks to replay" /> : null}
        {loaded && trucks.length === 0 ? <p className="panel-note">No trucks yet: positions appear as they sync, and their history can be replayed here.</p> : null}
        <ul className="replay-trucks">
          {shown.map((t) => {
            const on = params.trucks.includes(t);
            return (
              <li key={t}>
                <label className={on ? 'replay-truck is-on' : 'replay-truck'} title={!on && full ? `At most ${MAX_REPLAY_TRUCKS} trucks at once` : undefined}>
                  <input type="checkbox" checked={on} disabled={!on && full} onChange={() => toggle(t)} data-testid="replay-truck" data-truck={t} />
                  <span className="truck-swatch" style={{ background: colors.get(t) ?? '#fff' }} aria-hidden="true" />
                  {t}
                </label>
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
