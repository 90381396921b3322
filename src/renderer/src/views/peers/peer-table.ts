// The peers table's arithmetic: a peer's status from when it was last heard (thresholds per link
// kind), the signal grades, and the table's filter and sort. Pure, so the rules are tested alone.
import type { PeerLinkDto, PeerRowDto } from '../../../../shared/api';

export type PeerStatus = 'online' | 'quiet' | 'offline';

/**
 * Heard within this long, a connected peer is online; longer, it is quiet. A LAN session asks
 * "are we in sync?" every 5 s, so 30 s of silence is news. A radio in sync falls silent for up
 * to Trickle's ceiling (96 min at SF9), so radio neighbours get Meshtastic's 2 h window.
 */
export const ONLINE_WITHIN_MS: Readonly<Record<PeerLinkDto['kind'], number>> = { lan: 30_000, memory: 30_000, lora: 2 * 3_600_000 };

export function peerStatus(row: PeerRowDto, nowMs: number): PeerStatus {
  if (!row.connected) return 'offline';
  if (row.lastHeardMs === null) return 'quiet';
  const within = Math.max(...row.links.map((l) => ONLINE_WITHIN_MS[l.kind]), ONLINE_WITHIN_MS.lan);
  return nowMs - row.lastHeardMs <= within ? 'online' : 'quiet';
}

export type SignalGrade = 'good' | 'fair' | 'poor';

/** RSSI: good from -100 dBm, fair to -115 dBm, poor below (SF9/125 kHz hears down to about -126 dBm). */
export function rssiGrade(dbm: number | null): SignalGrade | null {
  if (dbm === null) return null;
  return dbm >= -100 ? 'good' : dbm >= -115 ? 'fair' : 'poor';
}

/** SNR: good from 0 dB, fair to -7.5 dB, poor below (within 5 dB of SF9's -12.5 dB floor). */
export function snrGrade(db: number | null): SignalGrade | null {
  if (db === null) return null;
  return db >= 0 ? 'good' : db >= -7.5 ? 'fair' : 'poor';
}

export type PeerSortKey = 'name' | 'status' | 'rssi' | 'snr' | 'difference' | 'traffic';
export interface PeerSort {
  readonly key: PeerSortKey;
  readonly descending: boolean;
}

export interface PeerFilter {
  /** Matched against the name and the node id, case-insensitive. */
  readonly text: string;
  readonly status: PeerStatus | 'all';
  readonly link: PeerLinkDto['kind'] | 'all';
}

export const NO_PEER_FILTER: PeerFilter = { text: '', status: 'all', link: 'all' };

function best(row: PeerRowDto, pick: (l: PeerLinkDto) => number | null): number | null {
  const values = row.links.map(pick).filter((v): v is number => v !== null);
  return values.length ? Math.max(...values) : null;
}

const STATUS_RANK: Readonly<Record<PeerStatus, number>> = { online: 0, quiet: 1, offline: 2 };

/** The value a column sorts by; null sorts last whichever way. */
function sortValue(row: PeerRowDto, key: PeerSortKey, nowMs: number): number | string | null {
  switch (key) {
    case 'name':
      return row.name.toLowerCase();
    case 'status':
      // Online first, then the most recently heard, a never-heard peer last within its status
      // (times are about 1.8e12 ms, so each status keeps to its own band of 1e15).
      return STATUS_RANK[peerStatus(row, nowMs)] * 1e15 + (row.lastHeardMs === null ? 5e14 : 4e14 - row.lastHeardMs);
    case 'rssi':
      return best(row, (l) => l.rssiDbm);
    case 'snr':
      return best(row, (l) => l.snrDb);
    case 'difference':
      return row.weLack === null && row.theyLack === null ? null : (row.weLack ?? 0) + (row.theyLack ?? 0);
    case 'traffic':
      return row.bytesSent + row.bytesReceived;
  }
}

export function filterAndSortPeers<P extends { readonly row: PeerRowDto }>(peers: readonly P[], filter: PeerFilter, sort: PeerSort, nowMs: number): P[] {
  const text = filter.text.trim().toLowerCase();
  const kept = peers.filter(({ row }) => {
    if (text && !row.name.toLowerCase().includes(text) && !row.node.includes(text)) return false;
    if (filter.status !== 'all' && peerStatus(row, nowMs) !== filter.status) return false;
    if (filter.link !== 'all' && !row.links.some((l) => l.kind === filter.link)) return false;
    return true;
  });
  const sign = sort.descending ? -1 : 1;
  // Ties fall back to the name, then the id, so rows keep their places while peers come and go.
  const byName = (a: PeerRowDto, b: PeerRowDto) => a.name.localeCompare(b.name) || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
  return kept
    .map((p) => ({ p, v: sortValue(p.row, sort.key, nowMs) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? byName(a.p.row, b.p.row) : a.v === null ? 1 : -1;
      const c = typeof a.v === 'string' ? a.v.localeCompare(b.v as string) : a.v - (b.v as number);
      return sign * c || byName(a.p.row, b.p.row);
    })
    .map(({ p }) => p);
}
