// PROVES: `mandala serve` answers /api/health and accepts LAN sync; a peer that synced once is
//         still in its peers view after a restart (DATA/peers.json); `mandala sync` brings two
//         data folders to byte-identical `view records --json` and `view fleet --json`; a busy
//         port and an unreachable peer end with a clear sentence and their exit codes.
// CATCHES: sync that exits before both sides hold each other's events; views that differ by a
//          byte between nodes holding the same events.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { mandala, mandalaAsync, serve, type Served } from '../support/cli';

/** One call of the console API over its WebSocket, as the console makes it. */
function call(port: number, name: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`);
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, call: name, args: {} })));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { id?: number; ok: boolean; result?: unknown; error?: unknown };
      if (msg.id !== 1) return;
      ws.close();
      if (msg.ok) resolve(msg.result);
      else reject(new Error(JSON.stringify(msg.error)));
    });
    ws.on('error', reject);
  });
}

const root = mkdtempSync(join(tmpdir(), 'mandala-serve-'));
const A = join(root, 'a');
const B = join(root, 'b');
const running: Served[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

describe('serve and sync', () => {
  it('two_folders_converge_to_byte_identical_views', async () => {
    for (const [dir, name] of [[A, 'camp-a'], [B, 'camp-b']]) expect(mandala(['init', '--data', dir!, '--name', name!]).code).toBe(0);
    mandala(['record', 'create', 'R-100', 'site_assessment', '--data', A]);
    mandala(['record', 'set', 'R-100', 'status', 'OPENED', '--data', A]);
    mandala(['position', 'T-1', '0.35', '37.58', '--time', '2026-11-22T09:00:00Z', '--data', A]);
    mandala(['record', 'set', 'R-100', 'status', 'CLOSED', '--data', B]);
    mandala(['record', 'note', 'R-100', 'from camp b', '--data', B]);
    mandala(['position', 'T-2', '2.33', '37.99', '--time', '2026-11-22T09:05:00Z', '--data', B]);

    const a = await serve(['--data', A, '--port', '0']);
    running.push(a);
    const health = await (await fetch(`http://127.0.0.1:${a.port}/api/health`)).json();
    expect(health).toMatchObject({ ok: true, name: 'camp-a' });

    const sync = await mandalaAsync(['sync', '--peer', `127.0.0.1:${a.port}`, '--data', B]);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/in sync with camp-a/);
    await a.stop();

    // After a restart, the node still lists the peer that synced with it once (not connected).
    const again = await serve(['--data', A, '--port', '0']);
    running.push(again);
    const peers = (await call(again.port, 'peers.list')) as { name: string; connected: boolean; lastHeardMs: number | null; eventsReceived: number }[];
    expect(peers).toEqual([expect.objectContaining({ name: 'camp-b', connected: false, lastHeardMs: expect.any(Number) })]);
    expect(peers[0]!.eventsReceived).toBeGreaterThan(0);
    await again.stop();

    for (const view of ['records', 'fleet']) {
      const va = mandala(['view', view, '--json', '--data', A]);
      const vb = mandala(['view', view, '--json', '--data', B]);
      expect(va.code).toBe(0);
      expect(va.stdout, `${view} differs`).toBe(vb.stdout);
    }
    const records = JSON.parse(mandala(['view', 'records', '--json', '--data', A]).stdout);
    expect(records['R-100'].notes).toEqual(['from camp b']);
    expect(Object.keys(JSON.parse(mandala(['view', 'fleet', '--json', '--data', B]).stdout).trucks)).toEqual(['T-1', 'T-2']);
  });

  it('a_busy_port_is_reported_with_what_to_do', async () => {
    const first = await serve(['--data', join(root, 'busy1'), '--port', '0']);
    running.push(first);
    const second = await mandalaAsync(['serve', '--data', join(root, 'busy2'), '--port', String(first.port)]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/already in use.*--port.*\[port_busy\]/);
    await first.stop();
  });

  it('an_unreachable_peer_exits_3_with_a_sentence', async () => {
    const r = await mandalaAsync(['sync', '--peer', '127.0.0.1:1', '--data', join(root, 'lonely')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/nothing is listening at 127\.0\.0\.1:1.*\[peer_unreachable\]/);
  });
});
