// The radio: which RNode is attached and how it is doing, or a picker to attach one. The serial
// ports are listed live (asked again every two seconds while this page is open), so a radio
// plugged in shows up without a reload. Attaching is what `mandala serve --lora PORT` does at
// start; the settings default to EU868 g1 (868.1 MHz, 125 kHz, SF9, 4/5, 14 dBm, 1%).
import { useEffect, useState, type FormEvent } from 'react';
import type { ApiErrorDto, AttachedRadioDto, RadioSetupDto, RadioStatusDto } from '../../../../shared/api';
import { ErrorNotice } from '../../components/StatusMessage';
import { describeError } from '../../lib/errors';
import { useSession } from '../../store/session-context';
import { useNodeQuery } from '../../store/use-node-query';

const POLL_MS = 2000;
const BANDWIDTHS = [62_500, 125_000, 250_000, 500_000];

type Settings = Omit<RadioSetupDto, 'path'>;

export function RadioPanel() {
  // Asked on a timer, not on every peers push: listing ports may start a process (udevadm).
  const query = useNodeQuery('radio', (s) => s.bridge.call('radio.status', {}));
  const { refresh } = query;
  useEffect(() => {
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  const [error, setError] = useState<ApiErrorDto | null>(null);
  const [changing, setChanging] = useState(false);
  const [busy, setBusy] = useState(false);
  const { bridge } = useSession();
  const status = query.data;
  if (!status) return query.error ? <ErrorNotice error={query.error} context="Could not ask for the radio" /> : null;

  const act = async (send: () => Promise<RadioStatusDto>) => {
    setError(null);
    setBusy(true);
    try {
      await send();
      setChanging(false);
      refresh();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const attached = status.attached;
  return (
    <section className="panel radio-panel" aria-label="Radio" data-testid="radio-panel" data-attached={attached ? attached.path : ''} data-online={attached?.online ? 'true' : 'false'}>
      <header className="panel-header">
        <h2>Radio</h2>
        {attached ? <RadioState radio={attached} /> : <span className="muted">No radio attached: this node syncs over the LAN only</span>}
      </header>
      {error ? <ErrorNotice error={error} compact /> : null}
      {attached && !changing ? (
        <div className="radio-attached">
          <code className="radio-port">{attached.path}</code>
          <span className="radio-settings">{describeSettings(attached)}</span>
          {attached.problem && !attached.online ? (
            <span className="radio-problem" data-testid="radio-problem">
              {attached.problem}
            </span>
          ) : null}
          <span className="radio-actions">
            <button type="button" className="button button-small" onClick={() => setChanging(true)}>
              Change…
            </button>
            <button type="button" className="button button-small" disabled={busy} onClick={() => void act(() => bridge.call('radio.detach', {}))}>
              Detach
            </button>
          </span>
        </div>
      ) : (
        <RadioPicker status={status} busy={busy} onCancel={attached ? () => setChanging(false) : null} onAttach={(setup) => void act(() => bridge.call('radio.attach', setup))} />
      )}
    </section>
  );
}

function RadioState({ radio }: { radio: AttachedRadioDto }) {
  return radio.online ? (
    <span className="badge badge-ok" data-testid="radio-state">
      online{radio.firmware ? ` · firmware ${radio.firmware}` : ''}
    </span>
  ) : (
    <span className="badge badge-warn" data-testid="radio-state" title={radio.problem ?? undefined}>
      {radio.problem ? 'not answering' : 'starting…'}
    </span>
  );
}

/** Only the settings (a status carries online, firmware, … too, which attach refuses). */
function setupOf(s: Settings): Settings {
  return { frequencyHz: s.frequencyHz, bandwidthHz: s.bandwidthHz, sf: s.sf, cr: s.cr, txPowerDbm: s.txPowerDbm, dutyCyclePct: s.dutyCyclePct, freshnessS: s.freshnessS };
}

function describeSettings(s: Settings): string {
  return `${(s.frequencyHz / 1e6).toFixed(3)} MHz · ${s.bandwidthHz / 1000} kHz · SF${s.sf} · 4/${s.cr} · ${s.txPowerDbm} dBm · ${s.dutyCyclePct}% duty cycle · positions held ${s.freshnessS} s`;
}

function RadioPicker({ status, busy, onAttach, onCancel }: { status: RadioStatusDto; busy: boolean; onAttach: (setup: RadioSetupDto) => void; onCancel: (() => void) | null }) {
  const [path, setPath] = useState(status.attached?.path ?? '');
  const [settings, setSettings] = useState<Settings>(() => setupOf(status.attached ?? status.defaults));
  const ports = status.ports;
  // The first port found is offered once one appears; a choice the user made is kept.
  const chosen = path || ports[0]?.path || '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen) onAttach({ ...settings, path: chosen });
  };
  const number = (key: keyof Settings) => (e: { target: { value: string } }) => setSettings({ ...settings, [key]: Number(e.target.value) });
  return (
    <form className="radio-picker" onSubmit={submit} data-testid="radio-picker">
      <label className="inline-field">
        Port
        <select name="radio-port" value={chosen} onChange={(e) => setPath(e.target.value)} disabled={ports.length === 0} data-testid="radio-port-select">
          {ports.length === 0 ? <option value="">no serial port found</option> : null}
          {ports.map((p) => (
            <option key={p.path} value={p.path}>
              {p.path} — {p.description}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        MHz
        <input className="text-input radio-number" name="radio-frequency" type="number" step="0.001" value={settings.frequencyHz / 1e6} onChange={(e) => setSettings({ ...settings, frequencyHz: Math.round(Number(e.target.value) * 1e6) })} />
      </label>
      <label className="inline-field">
        Bandwidth
        <select name="radio-bandwidth" value={settings.bandwidthHz} onChange={number('bandwidthHz')}>
          {BANDWIDTHS.map((bw) => (
            <option key={bw} value={bw}>
              {bw / 1000} kHz
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        SF
        <input className="text-input radio-number" name="radio-sf" type="number" min={5} max={12} value={settings.sf} onChange={number('sf')} />
      </label>
      <label className="inline-field">
        CR 4/
        <input className="text-input radio-number" name="radio-cr" type="number" min={5} max={8} value={settings.cr} onChange={number('cr')} />
      </label>
      <label className="inline-field">
        dBm
        <input className="text-input radio-number" name="radio-txpower" type="number" min={0} max={37} value={settings.txPowerDbm} onChange={number('txPowerDbm')} />
      </label>
      <label className="inline-field" title="The share of airtime this node may use (EU868 g1 allows 1%)">
        Duty %
        <input className="text-input radio-number" name="radio-duty" type="number" step="any" min={0} max={100} value={settings.dutyCyclePct} onChange={number('dutyCyclePct')} />
      </label>
      <label className="inline-field" title="This node's new positions wait this long, so one radio frame carries them all (0: each at once)">
        Hold s
        <input className="text-input radio-number" name="radio-freshness" type="number" min={0} max={3600} value={settings.freshnessS} onChange={number('freshnessS')} />
      </label>
      <button type="submit" className="button button-primary" disabled={busy || !chosen} data-testid="radio-attach">
        Attach
      </button>
      {onCancel ? (
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      ) : null}
      {ports.length === 0 ? (
        <p className="panel-note">
          Plug in an RNode over USB; it appears here within a few seconds. On Linux your user needs the <code>dialout</code> group to open it. The radio simulator&apos;s ports are listed when named in <code>MANDALA_RADIO_PORTS</code>.
        </p>
      ) : null}
    </form>
  );
}
