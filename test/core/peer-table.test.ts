// PROVES: the peers table's rules: a connected peer is ONLINE while heard within its link's window
//         (30 s on LAN, 2 h on LoRa, the longest of its links), QUIET after, OFFLINE with no link;
//         RSSI and SNR grade at their stated edges; the filter matches name or id, status and link;
//         each sort orders by its column with unknown values last either way, and ties keep name order;
//         a catch-up's share received rises from its peak, survives a re-made link, ends in sync.
// CATCHES: a radio neighbour in sync (silent for an hour by design) shown as lost, a sort that
//          puts "no reading" at the top, a filter that ignores the id.
import { describe, expect, it } from 'vitest';
import type { PeerLinkDto, PeerRowDto } from '../../src/shared/api';
import { filterAndSortPeers, NO_PEER_FILTER, peerStatus, rssiGrade, snrGrade } from '../../src/renderer/src/views/peers/peer-table';
import { catchUp, foldPeers, receiveProgress, type PeerView } from '../../src/renderer/src/store/peer-progress';

const NOW = 1_800_000_000_000;
const link = (kind: PeerLinkDto['kind'], rssiDbm: number | null = null, snrDb: number | null = null): PeerLinkDto => ({ kind, label: kind, rssiDbm, snrDb, airtimeMs: null, dutyCycleHeadroomPct: null, channelLoadPct: null });
function row(name: string, over: Partial<PeerRowDto> = {}): PeerView {
  return {
    queuePeak: 0,
    lackPeak: 0,
    lack: 0,
    row: {
      node: name.padEnd(64, '0'),
      name,
      connected: true,
      lastHeardMs: NOW - 1000,
      links: [link('lan')],
      weLack: 0,
      theyLack: 0,
      inSync: true,
      queued: 0,
      eventsSent: 0,
      eventsReceived: 0,
      bytesSent: 0,
      bytesReceived: 0,
      refused: [],
      problems: [],
      fleet: null,
      verified: true,
      ...over,
    },
  };
}

describe('the peers table', () => {
  it('status_follows_the_links_window', () => {
    expect(peerStatus(row('a', { lastHeardMs: NOW - 30_000 }).row, NOW)).toBe('online');
    expect(peerStatus(row('a', { lastHeardMs: NOW - 31_000 }).row, NOW)).toBe('quiet');
    expect(peerStatus(row('r', { lastHeardMs: NOW - 90 * 60_000, links: [link('lora')] }).row, NOW), 'a radio in sync is silent for up to 96 min').toBe('online');
    expect(peerStatus(row('r', { lastHeardMs: NOW - 121 * 60_000, links: [link('lora')] }).row, NOW)).toBe('quiet');
    expect(peerStatus(row('both', { lastHeardMs: NOW - 60 * 60_000, links: [link('lan'), link('lora')] }).row, NOW), 'the longest window of its links').toBe('online');
    expect(peerStatus(row('gone', { connected: false, links: [] }).row, NOW)).toBe('offline');
    expect(peerStatus(row('never', { lastHeardMs: null }).row, NOW)).toBe('quiet');
  });

  it('signal_grades_at_their_edges', () => {
    expect([-100, -100.5, -115, -116].map(rssiGrade)).toEqual(['good', 'fair', 'fair', 'poor']);
    expect([0, -0.5, -7.5, -8].map(snrGrade)).toEqual(['good', 'fair', 'fair', 'poor']);
    expect(rssiGrade(null)).toBeNull();
  });

  it('filters_by_text_status_and_link', () => {
    const peers = [row('hq-nairobi'), row('camp-lodwar', { links: [link('lora')], node: 'ab'.repeat(32) }), row('relay', { connected: false, links: [] })];
    const names = (f: Partial<typeof NO_PEER_FILTER>) => filterAndSortPeers(peers, { ...NO_PEER_FILTER, ...f }, { key: 'name', descending: false }, NOW).map((p) => p.row.name);
    expect(names({})).toEqual(['camp-lodwar', 'hq-nairobi', 'relay']);
    expect(names({ text: 'NAIRO' })).toEqual(['hq-nairobi']);
    expect(names({ text: 'abab' }), 'by id too').toEqual(['camp-lodwar']);
    expect(names({ status: 'offline' })).toEqual(['relay']);
    expect(names({ link: 'lora' })).toEqual(['camp-lodwar']);
    expect(names({ text: 'zzz' })).toEqual([]);
  });

  it('sorts_by_each_column_with_unknowns_last', () => {
    const peers = [
      row('a', { links: [link('lora', -120, -9)], bytesSent: 10, bytesReceived: 0, weLack: 5, theyLack: 0 }),
      row('b', { links: [link('lan')], bytesSent: 500, bytesReceived: 500, weLack: null, theyLack: null }),
      row('c', { links: [link('lora', -90, 4), link('lora', -110, -2)], bytesSent: 0, bytesReceived: 40, weLack: 0, theyLack: 0 }),
      row('d', { connected: false, links: [], lastHeardMs: NOW - 5000 }),
    ];
    const order = (key: Parameters<typeof filterAndSortPeers>[2]['key'], descending: boolean) => filterAndSortPeers(peers, NO_PEER_FILTER, { key, descending }, NOW).map((p) => p.row.name).join('');
    expect(order('rssi', true), 'strongest first (a peer\'s best link), no reading last').toBe('cabd');
    expect(order('rssi', false)).toBe('acbd');
    expect(order('snr', true)).toBe('cabd');
    expect(order('traffic', true)).toBe('bcad');
    expect(order('difference', true), 'unknown difference last').toBe('acdb');
    expect(order('status', false), 'online first, offline last').toBe('abcd');
    expect(order('name', true)).toBe('dcba');
  });

  it('catch_up_rises_keeps_its_peak_through_a_re_made_link_and_ends_in_sync', () => {
    const push = (weLack: number | null, over: Partial<PeerRowDto> = {}): PeerRowDto => row('hq', { weLack, inSync: false, ...over }).row;
    let held = foldPeers(null, [push(1000)]);
    expect(catchUp(held)).toEqual({ received: 0, lacking: 1000, from: ['hq'] });
    held = foldPeers(held, [push(600)]);
    expect(receiveProgress(held[0]!)).toBeCloseTo(0.4, 9);
    held = foldPeers(held, [push(null)]);
    expect(receiveProgress(held[0]!), 'a re-made link (no frontier yet) keeps the last count').toBeCloseTo(0.4, 9);
    held = foldPeers(held, [push(250)]);
    expect(catchUp(held)?.received).toBeCloseTo(0.75, 9);
    held = foldPeers(held, [push(0, { inSync: true })]);
    expect(catchUp(held), 'in sync: nothing to catch up').toBeNull();
    expect(held[0]!.lackPeak).toBe(0);
    held = foldPeers(held, [push(50)]);
    expect(catchUp(held), 'a few live events behind is no catch-up').toBeNull();
    held = foldPeers(held, [push(0, { inSync: true })]);
    held = foldPeers(held, [push(900)]);
    held = foldPeers(held, [push(null, { connected: false })]);
    expect(catchUp(held), 'no link: no catch-up shown').toBeNull();
    held = foldPeers(held, [push(null)]);
    expect(catchUp(held)?.lacking, 'the link back: the catch-up goes on from its last count').toBe(900);
  });
});

