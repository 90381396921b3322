// Phones reporting by the OsmAnd protocol (Traccar Client, OsmAnd): the registered ones and the
// truck each reports as, and devices that asked to report and were refused, which a dispatcher
// admits here by naming their truck. Shown only when the node takes phone reports.
import { useState, type FormEvent } from 'react';
import type { ApiErrorDto, AskingDeviceDto, DevicesDto } from '../../../../shared/api';
import { ErrorNotice } from '../../components/StatusMessage';
import { describeError } from '../../lib/errors';
import { formatAge, formatCoordinate, plural } from '../../lib/format';
import { useNodeQuery } from '../../store/use-node-query';
import { useSession } from '../../store/session-context';

export function DevicesPanel({ nowMs }: { nowMs: number }) {
  const query = useNodeQuery('devices', (s) => s.bridge.call('devices.list', {}), ['peers']);
  const [error, setError] = useState<ApiErrorDto | null>(null);
  const { bridge } = useSession();
  const info = query.data;
  if (query.error && !info) return <ErrorNotice error={query.error} context="Could not load the phones" />;
  if (!info || info.osmandPort === null) return null;
  const act = async (send: () => Promise<DevicesDto>) => {
    setError(null);
    try {
      await send();
      query.refresh();
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <section className="panel devices-panel" aria-label="Phones" data-testid="devices-panel">
      <header className="panel-header">
        <h2>
          Phones <span className="panel-count">{info.registered.length}</span>
        </h2>
        <span className="muted">OsmAnd protocol on port {info.osmandPort}</span>
      </header>
      {error ? <ErrorNotice error={error} compact /> : null}
      {info.asking.length > 0 ? (
        <ul className="devices-asking" aria-label="Devices asking to report">
          {info.asking.map((d) => (
            <AskingRow key={d.device} device={d} nowMs={nowMs} onAdmit={(truck) => void act(() => bridge.call('devices.add', { device: d.device, truck }))} />
          ))}
        </ul>
      ) : null}
      {info.registered.length === 0 ? (
        <p className="panel-note">
          No phone registered yet. Set the tracker app&apos;s server to this machine, port {info.osmandPort}; its first report shows here, to admit.
        </p>
      ) : (
        <ul className="fleet-members">
          {info.registered.map((d) => (
            <li key={d.device} className="fleet-member" data-testid="device-row" data-device={d.device}>
              <code>{d.device}</code>
              <span>reports as</span>
              <span className="badge badge-form">{d.truck}</span>
              <button type="button" className="button button-small" onClick={() => void act(() => bridge.call('devices.remove', { device: d.device }))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AskingRow({ device, nowMs, onAdmit }: { device: AskingDeviceDto; nowMs: number; onAdmit: (truck: string) => void }) {
  const [truck, setTruck] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (truck.trim()) onAdmit(truck.trim());
  };
  return (
    <li className="device-asking" data-testid="device-asking" data-device={device.device}>
      <form className="inline-form" onSubmit={submit}>
        <span className="badge badge-warn">asking to report</span>
        <code>{device.device}</code>
        <span className="muted">
          {plural(device.reports, 'report')} refused, last {formatAge(nowMs - device.lastMs)}
          {device.lastPosition ? ` at ${formatCoordinate(device.lastPosition.lat, device.lastPosition.lon)}` : ''}
        </span>
        <label className="field">
          <span className="field-label">Truck</span>
          <input className="text-input" value={truck} onChange={(e) => setTruck(e.target.value)} placeholder="truck id" name="truck" maxLength={64} />
        </label>
        <button type="submit" className="button button-primary" disabled={!truck.trim()}>
          Admit
        </button>
      </form>
    </li>
  );
}
