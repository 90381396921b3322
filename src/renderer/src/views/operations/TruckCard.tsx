// The selected truck at a glance, over the map: its last fix (when, how old, where, how fast,
// which way), where that fix came from (the truck's own GPS, a vendor, a phone; which node signed
// it), its flagged fixes and open alerts, and its last few fixes. Opened by clicking a truck on
// the map or in the list; closed by clicking it again or the ×.
import type { AlertDto } from '../../../../shared/api';
import { Icon } from '../../components/Icon';
import { describeFlag } from '../../lib/fix-flags';
import { formatAge, formatAxisTime, formatClockTime, formatCoordinate, formatCount, formatHeading, formatSpeed, plural } from '../../lib/format';
import { freshnessOf, FRESHNESS_LABEL } from '../../lib/freshness';
import { useStore } from '../../store/external-store';
import { authorLabel } from '../../store/names-store';
import { useNodeNow, useSession } from '../../store/session-context';
import type { TruckTrack } from '../../store/trail-merge';
import { replayHash } from '../replay/replay-params';
import { useFixSource } from './use-fix-source';

const RECENT = 5;

export function TruckCard({ track, color, alerts, onClose }: { track: TruckTrack; color: string; alerts: readonly AlertDto[]; onClose: () => void }) {
  const names = useStore(useSession().names.store).data;
  const now = useNodeNow(1000);
  const { truck, current, fixCount, flaggedCount, reporters } = track.summary;
  const source = useFixSource(current);
  const open = alerts.filter((a) => a.truck === truck && a.ack === null);
  const freshness = freshnessOf(current?.fixMs, now);
  const recent = [...track.trail].reverse().slice(0, RECENT);
  return (
    <section className="truck-card" aria-label={`Truck ${truck}`} data-testid="truck-card" data-truck={truck}>
      <header className="truck-card-header">
        <span className="truck-swatch" style={{ background: color }} aria-hidden="true" />
        <h2 className="truck-card-title">{truck}</h2>
        <span className={`freshness-pill freshness-${freshness}`} title={FRESHNESS_LABEL[freshness]}>
          <span className="freshness-dot" /> {freshness}
        </span>
        <button type="button" className="icon-button" aria-label="Close the truck card" onClick={onClose}>
          <Icon name="close" size={13} />
        </button>
      </header>
      {current ? (
        <dl className="fact-grid">
          <dt>Last fix</dt>
          <dd data-testid="truck-card-last-fix">
            {formatClockTime(current.fixMs, now)} · {formatAge(now - current.fixMs)}
          </dd>
          <dt>Position</dt>
          <dd>{formatCoordinate(current.lat, current.lon)}</dd>
          <dt>Speed</dt>
          <dd>
            {formatSpeed(current.speedKmh)} · heading {formatHeading(current.headingDeg)}
          </dd>
          <dt>Source</dt>
          <dd data-testid="truck-card-source">
            {source ? source.text : '…'}
            {' · signed by '}
            <strong>{authorLabel(names, current.author)}</strong>
          </dd>
          {reporters.length > 1 ? (
            <>
              <dt>Reported by</dt>
              <dd>{reporters.map((r) => authorLabel(names, r)).join(', ')}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p className="panel-note">No plausible fix yet: every fix of this truck was flagged by the fleet filters.</p>
      )}
      <div className="truck-card-badges">
        <span className="muted">{plural(fixCount, 'fix', 'fixes')}</span>
        {flaggedCount > 0 ? <span className="badge badge-bad">{formatCount(flaggedCount)} flagged</span> : null}
        {open.length > 0 ? (
          <span className="badge badge-warn" data-testid="truck-card-alerts" title={open.map((a) => a.summary).join('\n')}>
            {plural(open.length, 'open alert')}
          </span>
        ) : null}
      </div>
      <div className="truck-card-actions">
        <button
          type="button"
          className="button button-small"
          data-testid="truck-card-replay"
          title="Replay this truck's last 24 hours"
          onClick={() => {
            window.location.hash = replayHash({ trucks: [truck], fromMs: now - 24 * 3_600_000, toMs: now }).slice(1);
          }}
        >
          Replay last 24 h
        </button>
      </div>
      {recent.length > 0 ? (
        <ol className="truck-card-recent" aria-label="Recent fixes">
          {recent.map((f) => (
            <li key={`${f.author}:${f.seq}`} className={f.flag ? 'is-flagged' : undefined} title={f.flag ? describeFlag(f.flag) : undefined}>
              <span title={formatClockTime(f.fixMs, now)}>{formatAxisTime(f.fixMs, true)}</span>
              <span>{formatSpeed(f.speedKmh)}</span>
              <span className="muted">{f.flag ? `flagged: ${f.flag}` : formatHeading(f.headingDeg)}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
