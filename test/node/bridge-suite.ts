// PROVES: the console API behaves the same through every bridge the renderer can use: requests
//         return typed results, writes show up in reads and in pushes, and errors keep their code.
// CATCHES: a bridge that drops error codes, never delivers pushes, or lets unknown calls through.
import { describe, expect, it } from 'vitest';
import type { MandalaBridge, RecordDto } from '../../src/shared/api';
import { waitFor } from '../support/wait';

export interface BridgeHarness {
  bridge: MandalaBridge;
  nodeId: string;
  teardown(): Promise<void>;
}

export function runBridgeSuite(name: string, setup: () => Promise<BridgeHarness>): void {
  describe(`console API bridge: ${name}`, () => {
    async function withBridge(fn: (h: BridgeHarness) => Promise<void>): Promise<void> {
      const h = await setup();
      try {
        await fn(h);
      } finally {
        await h.teardown();
      }
    }

    it('node_info_names_the_node', () =>
      withBridge(async ({ bridge, nodeId }) => {
        const info = await bridge.call('node.info', {});
        expect(info.nodeId).toBe(nodeId);
        expect(info.name).toBe('bridge-node');
        expect(info.eventCount).toBeGreaterThanOrEqual(1);
      }));

    it('writes_show_up_in_reads_and_in_pushes', () =>
      withBridge(async ({ bridge }) => {
        const pushed: (readonly RecordDto[])[] = [];
        const off = bridge.subscribe('records', (r) => pushed.push(r));
        const created = await bridge.call('records.create', { recordId: 'R-7', form: 'delivery' });
        expect(created.ok).toBe(true);
        await bridge.call('records.setField', { recordId: 'R-7', field: 'status', value: 'en_route' });
        await bridge.call('records.addNote', { recordId: 'R-7', text: 'bridge washed out at km 40' });
        const list = await bridge.call('records.list', {});
        expect(list).toEqual([
          {
            recordId: 'R-7',
            form: 'delivery',
            createdBy: expect.any(String),
            fields: [{ name: 'status', value: 'en_route', conflict: null }],
            notes: ['bridge washed out at km 40'],
            noteDetails: [{ text: 'bridge washed out at km 40', author: list[0]!.createdBy, seq: expect.any(Number), atMs: expect.any(Number) }],
            attachments: [],
          },
        ]);
        // Creating it again would change its form: refused with a code the console shows.
        await expect(bridge.call('records.create', { recordId: 'R-7', form: 'fuel_stop' })).rejects.toMatchObject({ code: 'record_exists' });
        await waitFor(() => pushed.some((p) => p[0]?.notes.length === 1), 'a records push with the note');
        off();
      }));

    it('typed_text_is_coerced_by_the_node_like_the_cli', () =>
      withBridge(async ({ bridge }) => {
        await bridge.call('records.setField', { recordId: 'R-8', field: 'trucks', text: '42' });
        await bridge.call('records.setField', { recordId: 'R-8', field: 'open', text: 'TRUE' });
        await bridge.call('records.setField', { recordId: 'R-8', field: 'code', text: '0x1F' });
        const r = (await bridge.call('records.list', {})).find((x) => x.recordId === 'R-8')!;
        expect(r.fields).toEqual([
          { name: 'code', value: '0x1F', conflict: null },
          { name: 'open', value: true, conflict: null },
          { name: 'trucks', value: 42, conflict: null },
        ]);
      }));

    it('a_report_made_through_the_console_is_listed_verified_and_its_tampered_copy_fails', () =>
      withBridge(async ({ bridge }) => {
        await bridge.call('records.create', { recordId: 'R-9', form: 'audit' });
        const made = await bridge.call('reports.create', { projection: 'records' });
        expect(made.stored).toBe(true);
        expect(made.summary).toMatchObject({ projection: 'records', requested: 'consistent', observed: 'fresh', cache: 'bypassed', local: true });
        const list = await bridge.call('reports.list', {});
        expect(list.map((r) => r.ref)).toContainEqual(made.summary.ref);
        expect(await bridge.call('reports.verify', made.summary.ref)).toMatchObject({ verdict: 'valid', code: 'ok', checks: { output: 'ok' } });
        const tampered = JSON.parse(JSON.stringify(made.report)) as { body: { output_hash: string } };
        tampered.body.output_hash = '0'.repeat(64);
        expect(await bridge.call('reports.verify', { report: tampered })).toMatchObject({ verdict: 'invalid', code: 'body_hash_mismatch' });
        const [ev] = await bridge.call('events.get', { refs: [[made.summary.ref.author, made.summary.ref.seq]] });
        expect(ev).toMatchObject({ kind: 'report.created', signedHere: true, imported: false });
        const stale = await bridge.call('reports.create', { projection: 'records', maxStaleMs: 600_000 });
        expect(stale.summary).toMatchObject({ cache: 'hit', replayMode: 'cache' });
        await expect(bridge.call('reports.create', { projection: 'nope' })).rejects.toMatchObject({ code: 'unknown_projection' });
        await expect(bridge.call('conflicts.list', { kinds: ['bogus' as 'fork'] })).rejects.toMatchObject({ code: 'bad_request' });
        expect(await bridge.call('conflicts.list', {})).toMatchObject({ total: 0, entries: [], spanMs: null });
      }));

    it('a_bad_request_fails_with_its_code', () =>
      withBridge(async ({ bridge }) => {
        await expect(bridge.call('records.setField', { recordId: '', field: 'x', value: 1 })).rejects.toMatchObject({ code: 'bad_request' });
        await expect(bridge.call('no.such.call' as 'node.info', {})).rejects.toMatchObject({ code: 'unknown_call' });
        await expect(bridge.call('records.create', { recordId: 'R'.repeat(65), form: 'x' })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/65 characters; the limit is 64/) });
      }));

    it('fleet_snapshot_shows_a_position_written_through_the_node', () =>
      withBridge(async ({ bridge }) => {
        const fleet = await bridge.call('fleet.snapshot', { trailLimit: 10 });
        expect(fleet.trucks.map((t) => t.truck)).toEqual(['T-1']);
        expect(fleet.trucks[0]!.current).toMatchObject({ lat: 0.5, lon: 37.25, flag: null });
      }));
  });
}
