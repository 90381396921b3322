// PROVES: the peer book keeps the peers a node heard from across restarts, writes only what
//         changed, and sets a damaged file aside with a warning instead of failing the start;
//         a node that never started leaves the file as it was.
// CATCHES: a peers view emptied by every restart, or a node that will not start over a bad file.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { PEERS_FILE, PeerBook } from '../../src/node/replication/peer-book';
import { PeerRegistry } from '../../src/node/replication/peer-registry';

const SELF = 'a'.repeat(64);
const PEER = { node: 'b'.repeat(64), name: 'camp-b', lastHeardMs: 1_700_000_000_000, eventsSent: 3, eventsReceived: 7, bytesSent: 1200, bytesReceived: 3400 };

function book(dir: string, warnings: string[] = []) {
  const registry = new PeerRegistry();
  return { registry, book: new PeerBook(dir, { registry, self: SELF, scheduler: new VirtualScheduler(), warn: (code, m) => warnings.push(`${code}: ${m}`) }) };
}

describe('the peer book', () => {
  it('remembers_peers_across_a_restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mandala-peer-book-'));
    const first = book(dir);
    first.book.start();
    first.registry.remember([PEER]);
    first.book.stop();
    const second = book(dir);
    second.book.start();
    expect(second.registry.rows(SELF)).toEqual([expect.objectContaining({ node: PEER.node, name: 'camp-b', connected: false, lastHeardMs: PEER.lastHeardMs, eventsSent: 3, eventsReceived: 7, bytesSent: 1200, bytesReceived: 3400 })]);
  });

  it('a_book_from_before_byte_counts_loads_with_zero_bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mandala-peer-book-'));
    const { bytesSent: _s, bytesReceived: _r, ...older } = PEER;
    writeFileSync(join(dir, PEERS_FILE), JSON.stringify({ peers: [older] }));
    const b = book(dir);
    b.book.start();
    expect(b.registry.rows(SELF)).toEqual([expect.objectContaining({ node: PEER.node, eventsReceived: 7, bytesSent: 0, bytesReceived: 0 })]);
  });

  it('a_damaged_file_is_set_aside_with_a_warning_and_an_unstarted_book_writes_nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mandala-peer-book-'));
    writeFileSync(join(dir, PEERS_FILE), '{"peers": [');
    const warnings: string[] = [];
    const b = book(dir, warnings);
    b.book.start();
    expect(b.registry.rows(SELF)).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/^peer_book_damaged: peers\.json could not be read .*moved to .*peers\.json\.damaged/)]);
    expect(readFileSync(join(dir, `${PEERS_FILE}.damaged`), 'utf8')).toBe('{"peers": [');

    const kept = mkdtempSync(join(tmpdir(), 'mandala-peer-book-'));
    writeFileSync(join(kept, PEERS_FILE), JSON.stringify({ peers: [PEER] }));
    book(kept).book.stop(); // a start that failed before the book started
    expect(JSON.parse(readFileSync(join(kept, PEERS_FILE), 'utf8'))).toEqual({ peers: [PEER] });
    expect(existsSync(join(kept, `${PEERS_FILE}.tmp`))).toBe(false);
  });
});
