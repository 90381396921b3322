// PROVES: events encode to pinned canonical bytes and ids (test/golden/events.json), head
//         signatures are deterministic Ed25519, and malformed event bytes are refused with codes.
// CATCHES: any change to the encoding that would give the same event a different id on another
//          build, platform or node.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/encoding/bytes';
import { encodeCanonical } from '../../src/core/encoding/canonical';
import { openEvent, sealEvent, type EventBody } from '../../src/core/events/event';
import { frontierDigestHex } from '../../src/core/feed/frontier';
import { signHead, verifyHead } from '../../src/core/feed/head';
import { NodeIdentity } from '../../src/node/crypto/identity';
import { crypto } from '../support/feeds';

const GOLDEN = join(import.meta.dirname, '..', 'golden', 'events.json');

function goldenFeed() {
  const seed = new Uint8Array(32).map((_, i) => i + 1);
  const id = NodeIdentity.fromSeed(seed);
  const drafts: Omit<EventBody, 'author' | 'seq' | 'prev'>[] = [
    { hlc: { wall: 1_700_000_000_000, counter: 0 }, kind: 'node.profile', payload: { name: 'base-camp' } },
    { hlc: { wall: 1_700_000_000_500, counter: 0 }, kind: 'record.create', payload: { record_id: 'R-100', form: 'site_assessment' } },
    { hlc: { wall: 1_700_000_000_500, counter: 1 }, kind: 'field.set', payload: { record_id: 'R-100', field: 'status', value: 'OPENED' } },
    {
      hlc: { wall: 1_700_000_001_000, counter: 0 },
      kind: 'truck.position',
      payload: { truck: 'T-07', fix_ms: 1_700_000_000_900, lat_e6: -1_292_066, lon_e6: 36_821_946, speed_kmh: 62, heading_deg: 41 },
    },
    { hlc: { wall: 1_700_000_002_000, counter: 0 }, kind: 'field.set', payload: { record_id: 'R-100', field: 'depth_m', value: 3.25, note: 'Jūba ✓' } },
  ];
  const events = [];
  let prev: string | null = null;
  for (let i = 0; i < drafts.length; i++) {
    const ev = sealEvent({ author: id.author, seq: i + 1, prev, ...drafts[i]! }, crypto);
    events.push({ seq: ev.seq, bytes: toHex(ev.bytes), id: ev.id, head_sig: toHex(signHead(id, id.author, ev.seq, ev.id)) });
    prev = ev.id;
  }
  const frontier = new Map([[id.author, { seq: events.length, id: prev! }]]);
  return { author: id.author, events, frontier_digest: frontierDigestHex(frontier, crypto) };
}

describe('event encoding', () => {
  it('golden_vectors_pin_canonical_bytes_ids_and_signatures', () => {
    const now = goldenFeed();
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, JSON.stringify(now, null, 2) + '\n');
    const pinned = JSON.parse(readFileSync(GOLDEN, 'utf8'));
    expect(now).toEqual(pinned);
  });

  it('opening_golden_bytes_gives_back_the_same_ids_and_verifiable_heads', () => {
    const pinned = JSON.parse(readFileSync(GOLDEN, 'utf8')) as ReturnType<typeof goldenFeed>;
    for (const g of pinned.events) {
      const ev = openEvent(Buffer.from(g.bytes, 'hex'), crypto);
      expect(ev.id).toBe(g.id);
      expect(verifyHead(crypto, pinned.author, ev.seq, ev.id, Buffer.from(g.head_sig, 'hex'))).toBe(true);
    }
  });

  it('a_tampered_event_gets_a_different_id_and_its_head_signature_fails', () => {
    const pinned = JSON.parse(readFileSync(GOLDEN, 'utf8')) as ReturnType<typeof goldenFeed>;
    const g = pinned.events[2]!;
    const ev = openEvent(Buffer.from(g.bytes, 'hex'), crypto);
    const tampered = sealEvent({ ...ev, payload: { record_id: 'R-100', field: 'status', value: 'CLOSED' } }, crypto);
    expect(tampered.id).not.toBe(g.id);
    expect(verifyHead(crypto, pinned.author, tampered.seq, tampered.id, Buffer.from(g.head_sig, 'hex'))).toBe(false);
  });

  it('malformed_event_bytes_are_refused_with_a_code', () => {
    const codes: string[] = [];
    const attempts = [
      encodeCanonical([1, 2, 3]),
      encodeCanonical([1, new Uint8Array(31), 1, null, 0, 0, 'note.add', {}]),
      encodeCanonical([1, new Uint8Array(32), 2, null, 0, 0, 'note.add', {}]),
      encodeCanonical([1, new Uint8Array(32), 1, null, 0, 0, 'Not A Kind', {}]),
      encodeCanonical([1, new Uint8Array(32), 1, null, 0, 2 ** 32, 'note.add', {}]),
      new Uint8Array([0xff]),
    ];
    for (const bytes of attempts) {
      try {
        openEvent(bytes, crypto);
        codes.push('accepted');
      } catch (e) {
        codes.push((e as { code: string }).code);
      }
    }
    expect(codes).toEqual(['malformed_event', 'bad_author', 'bad_prev', 'bad_kind', 'bad_hlc', 'unsupported_cbor']);
  });
});
