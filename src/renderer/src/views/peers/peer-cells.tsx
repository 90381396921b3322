// The pieces of a peer row, shared by the full Peers table and the compact one on Operations, so
// "in sync", link quality and progress read the same everywhere.
import type { PeerLinkDto, PeerRowDto } from '../../../../shared/api';
import { formatAge, formatBytes, formatClockTime, formatCount, formatDuration, shortId } from '../../lib/format';
import { receiveProgress, syncProgress, type PeerView } from '../../store/peer-progress';
import { ONLINE_WITHIN_MS, peerStatus, rssiGrade, snrGrade, type SignalGrade } from './peer-table';

const LINK_KIND_LABEL: Readonly<Record<PeerLinkDto['kind'], string>> = { lan: 'LAN', lora: 'LoRa', memory: 'Sim' };

/** The row element's attributes, including the test hook `tr[data-testid="peer-row"]`. */
export function peerRowAttributes(row: PeerRowDto) {
  return { 'data-testid': 'peer-row', 'data-peer': row.node, 'data-peer-name': row.name, 'data-connected': String(row.connected), className: row.connected ? 'peer-row' : 'peer-row is-offline' };
}

export function PeerName({ row }: { row: PeerRowDto }) {
  return (
    <span className="peer-name">
      <span className={row.connected ? 'link-dot is-up' : 'link-dot'} title={row.connected ? 'Connected' : 'Not connected'} />
      <span className="peer-name-text">{row.name || 'unnamed node'}</span>
      <code className="peer-id" title={row.node}>
        {shortId(row.node)}
      </code>
      <PeerBadges row={row} />
    </span>
  );
}

const FLEET_BADGE: Readonly<Record<NonNullable<PeerRowDto['fleet']>, { label: string; tone: string; title: string }>> = {
  admin: { label: 'admin', tone: 'badge-form', title: 'An admin of this fleet' },
  member: { label: 'member', tone: '', title: 'A member of this fleet' },
  revoked: { label: 'revoked', tone: 'badge-bad', title: 'Revoked from this fleet: its new events are refused' },
  outside: { label: 'outside the fleet', tone: 'badge-bad', title: 'Not admitted to this fleet: nothing it sends is stored' },
};

/** Its place in the fleet, and whether its identity was proven or only claimed. */
function PeerBadges({ row }: { row: PeerRowDto }) {
  const fleet = row.fleet ? FLEET_BADGE[row.fleet] : null;
  return (
    <span className="peer-badges">
      {fleet ? (
        <span className={`badge ${fleet.tone}`} title={fleet.title} data-testid="peer-fleet">
          {fleet.label}
        </span>
      ) : null}
      {row.connected && !row.verified && row.links.some((l) => l.kind === 'lora') ? (
        <span className="badge badge-warn" title="Its identity is claimed by its hello, not proven (a radio neighbour); what it sends is still checked by the signatures it carries">
          unverified
        </span>
      ) : null}
    </span>
  );
}

const STATUS_TITLE = {
  online: 'Connected and heard lately',
  quiet: 'Connected, but not heard for longer than its link allows',
  offline: 'No link to it now',
} as const;

/** ONLINE, QUIET or OFFLINE by when it was last heard, with how long ago. */
export function LastHeard({ row, nowMs, showState = true }: { row: PeerRowDto; nowMs: number; showState?: boolean }) {
  const heard = row.lastHeardMs === null ? 'never heard' : formatAge(nowMs - row.lastHeardMs);
  const status = peerStatus(row, nowMs);
  return (
    <span className="last-heard" title={row.lastHeardMs === null ? undefined : `Last heard ${formatClockTime(row.lastHeardMs, nowMs)}`}>
      {showState ? (
        <span className={`status-badge status-${status}`} data-testid="peer-status" title={STATUS_TITLE[status]}>
          {status.toUpperCase()}
        </span>
      ) : null}
      <span className={showState ? 'sub-text' : undefined}>{heard}</span>
    </span>
  );
}

/** The status thresholds, in words, for the table's legend. */
export function statusLegend(): string {
  const minutes = (ms: number) => (ms >= 3_600_000 ? `${ms / 3_600_000} h` : `${ms / 1000} s`);
  return `ONLINE: connected and heard within ${minutes(ONLINE_WITHIN_MS.lan)} on LAN, ${minutes(ONLINE_WITHIN_MS.lora)} on LoRa (radios in sync fall silent for up to 96 min); QUIET: connected but not heard for longer; OFFLINE: no link now.`;
}

const gradeClass = (g: SignalGrade | null): string => (g ? `signal-${g}` : '');

const metric = (value: number | null, unit: string, digits = 0): string => (value === null ? '—' : `${value.toFixed(digits)} ${unit}`);

export function LinkList({ links }: { links: readonly PeerLinkDto[] }) {
  if (links.length === 0) return <span className="muted">no link</span>;
  return (
    <ul className="link-list">
      {links.map((link, i) => {
        const radio = link.rssiDbm !== null || link.snrDb !== null || link.airtimeMs !== null || link.dutyCycleHeadroomPct !== null;
        return (
          <li key={`${link.kind}:${link.label}:${i}`} className="link-item">
            <span className="link-head">
              <span className={`link-kind link-kind-${link.kind}`}>{LINK_KIND_LABEL[link.kind]}</span>
              <span className="link-label">{link.label}</span>
            </span>
            <span className="link-metrics">
              {radio ? (
                <>
                  <span title="Received signal strength: good from -100 dBm, fair to -115 dBm, poor below" className={gradeClass(rssiGrade(link.rssiDbm))} data-testid="link-rssi">
                    RSSI {metric(link.rssiDbm, 'dBm')}
                  </span>
                  <span title="Signal-to-noise ratio: good from 0 dB, fair to -7.5 dB, poor below (SF9 decodes down to -12.5 dB)" className={gradeClass(snrGrade(link.snrDb))} data-testid="link-snr">
                    SNR {metric(link.snrDb, 'dB', 1)}
                  </span>
                  <span title="Radio airtime used">air {formatDuration(link.airtimeMs)}</span>
                  <span title="Duty-cycle budget left in the regulatory window" className={dutyTone(link.dutyCycleHeadroomPct)}>
                    duty {metric(link.dutyCycleHeadroomPct, '% left')}
                  </span>
                  {link.channelLoadPct !== null && <span title="How busy the radio channel is (everyone's transmissions, last minute)">channel {metric(link.channelLoadPct, '% busy')}</span>}
                </>
              ) : (
                <span className="muted">—</span>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function dutyTone(headroomPct: number | null): string {
  if (headroomPct === null) return '';
  if (headroomPct < 10) return 'tone-bad';
  if (headroomPct < 30) return 'tone-warn';
  return '';
}

/** "in sync", or how many events each side is missing. */
export function SyncDifference({ row }: { row: PeerRowDto }) {
  if (row.inSync) return <span className="badge badge-ok">in sync</span>;
  if (row.weLack === null && row.theyLack === null) return <span className="muted" title="No frontier from this peer yet">unknown</span>;
  return (
    <span className="sync-difference">
      <span title="Events the peer holds that this node lacks">
        we lack <LackCount count={row.weLack} />
      </span>
      <span title="Events this node holds that the peer lacks">
        they lack <LackCount count={row.theyLack} />
      </span>
    </span>
  );
}

/** Only a real shortfall is highlighted; zero and unknown stay quiet. */
function LackCount({ count }: { count: number | null }) {
  return <strong className={count ? 'lack-count is-behind' : 'lack-count'}>{formatCount(count)}</strong>;
}

/** What is on its way to and from the peer, each with a bar of how much of the catch-up is done. */
export function SyncProgress({ peer }: { peer: PeerView }) {
  const { queued, connected } = peer.row;
  const weLack = peer.lack;
  const receiving = connected && (weLack ?? 0) > 0 && peer.lackPeak > 0;
  if (queued === 0 && !receiving) return <span className="muted">idle</span>;
  return (
    <span className="sync-progress-list">
      {queued > 0 ? <ProgressLine direction="sending" text={`↑ ${formatCount(queued)} queued`} done={syncProgress(peer)} title={`${formatCount(queued)} events queued to send`} /> : null}
      {receiving ? <ProgressLine direction="receiving" text={`↓ ${formatCount(weLack)} to come`} done={receiveProgress(peer)} title={`${formatCount(weLack)} of ${formatCount(peer.lackPeak)} events this node lacked from the peer still to arrive`} /> : null}
    </span>
  );
}

function ProgressLine({ direction, text, done, title }: { direction: 'sending' | 'receiving'; text: string; done: number; title: string }) {
  const pct = Math.round(done * 100);
  return (
    <span className="sync-progress" data-testid={`sync-${direction}`} title={`${title}; ${pct}% of this catch-up done`}>
      <span className="sync-progress-text">{text}</span>
      <span className="progress-bar" role="progressbar" aria-label={`${direction} progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <span className="progress-fill" style={{ width: `${Math.max(4, done * 100)}%` }} />
      </span>
    </span>
  );
}

export function Traffic({ row }: { row: PeerRowDto }) {
  return (
    <span className="traffic" data-testid="peer-traffic" data-bytes-sent={row.bytesSent} data-bytes-received={row.bytesReceived}>
      <span title="Events sent to this peer, and the bytes its links carried out">
        ↑ {formatCount(row.eventsSent)} · {formatBytes(row.bytesSent)}
      </span>
      <span title="Events received from this peer, and the bytes its links brought in">
        ↓ {formatCount(row.eventsReceived)} · {formatBytes(row.bytesReceived)}
      </span>
    </span>
  );
}

export function issueCount(row: PeerRowDto): number {
  return row.refused.length + row.problems.reduce((sum, p) => sum + p.count, 0);
}
