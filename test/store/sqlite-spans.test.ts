// PROVES: the lifecycle traces file is bounded on disk: past its trace and position bounds the
//         oldest traces go with their spans and keys, the newest are still found by webhook-id,
//         truck and event id prefix; a span of a trace already gone is not kept; an open
//         delivery is listed as open until its summary says it ended. A real SQLite file.
// CATCHES: a traces file that grows with every delivery a season ever brought.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { SqliteSpans } from '../../src/node/store/sqlite/sqlite-spans';
import type { StoredSpan, TraceSummary } from '../../src/node/tracing/trace-types';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

function summary(n: number, positions: number, open = false): TraceSummary {
  return {
    traceId: hex(n, 32),
    rootSpanId: hex(n, 16),
    startMs: 1_000 + n,
    attributes: { 'mandala.source': 'webhook', 'webhook.id': `msg_${n}`, 'mandala.trucks': [`T-${n % 7}`] },
    positions: [{ truck: `T-${n % 7}`, fixMs: n }],
    positionCount: positions,
    refs: [`aa#${n}`],
    eventIds: [hex(n, 8) + 'ab'.repeat(28)],
    open,
  };
}

function span(n: number, name: string): StoredSpan {
  return { traceId: hex(n, 32), spanId: hex(n * 10 + name.length, 16), parentId: name === 'position.received' ? null : hex(n, 16), name, startMs: n, endMs: n + 1, error: null, message: null, attributes: {} };
}

it('the_traces_file_keeps_the_newest_within_its_bounds_and_finds_them_by_every_key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-spans-'));
  dirs.push(dir);
  const path = join(dir, 'spans.db');
  const file = new SqliteSpans(path, { maxTraces: 100, maxPositions: 1_000 });
  for (let n = 1; n <= 1_000; n++) {
    file.trace(summary(n, 1));
    file.span(span(n, 'position.received'));
    file.span(span(n, 'feed.append'));
    if (n % 50 === 0) file.flush();
  }
  const totals = file.totals();
  expect(totals.traces).toBeGreaterThanOrEqual(100);
  expect(totals.traces).toBeLessThanOrEqual(110);
  expect(file.find('msg_1000', 5).map((s) => s.traceId)).toEqual([hex(1000, 32)]);
  expect(file.find('msg_10', 5)).toEqual([]);
  expect(file.find(hex(999, 8), 5).map((s) => s.refs)).toEqual([['aa#999']]);
  // Newest first, and only the kept ones.
  const byTruck = file.find('T-6', 100);
  expect(byTruck.length).toBeGreaterThan(10);
  expect(byTruck.every((s) => s.startMs > 1_000 + 880)).toBe(true);
  expect(byTruck.map((s) => s.startMs)).toEqual([...byTruck.map((s) => s.startMs)].sort((a, b) => b - a));
  expect(file.spansOf(hex(1000, 32)).map((s) => s.name).sort()).toEqual(['feed.append', 'position.received']);
  expect(file.spansOf(hex(5, 32))).toEqual([]);
  // A late span of a trace that is gone is not kept.
  file.span(span(3, 'peer.relay'));
  file.flush();
  file.close();
  const db = new Database(path, { readonly: true });
  const counts = db.prepare('SELECT (SELECT SUM(json_array_length(body)) FROM span_chunks) AS spans, (SELECT COUNT(*) FROM trace_keys) AS keys, (SELECT COUNT(*) FROM traces) AS traces').get() as { spans: number; keys: number; traces: number };
  db.close();
  expect(counts.spans).toBe(counts.traces * 2);
  // Three keys a trace (webhook-id, truck, event): trimmed with their traces.
  expect(counts.keys).toBe(counts.traces * 3);
  expect(statSync(path).size).toBeLessThan(2_000_000);
});

it('positions_bound_the_file_too_and_an_open_delivery_stays_listed_until_it_ends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-spans-'));
  dirs.push(dir);
  const file = new SqliteSpans(join(dir, 'spans.db'), { maxTraces: 10_000, maxPositions: 500 });
  for (let n = 1; n <= 40; n++) {
    file.trace(summary(n, 50));
    file.flush();
  }
  // 40 deliveries of 50 positions: only about 500 positions' worth are kept.
  expect(file.totals().positions).toBeLessThanOrEqual(550);
  expect(file.find('msg_40', 1)).toHaveLength(1);
  expect(file.find('msg_20', 1)).toEqual([]);

  file.trace(summary(41, 1, true));
  file.flush();
  expect(file.openTraces(10).map((s) => s.traceId)).toEqual([hex(41, 32)]);
  file.trace(summary(41, 1, false));
  file.flush();
  expect(file.openTraces(10)).toEqual([]);
  file.close();
});
