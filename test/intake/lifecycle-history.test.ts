// PROVES: a position's trace covers the whole path and outlives the node's memory:
//         - through sync: the peer that receives it traces "received from peer camp", "stored in
//           the log", "folded"; the node that took it in traces "relayed to peer depot" once
//           depot's frontier holds it;
//         - across a restart: an appended delivery is still found (from the traces file); a
//           delivery still in the inbox when the node stopped is taken up again, and the drain's
//           append after the restart joins the same trace;
//         - from the CLI: `mandala position` into the data folder of a running node is traced,
//           and the node's inspector finds it.
// CATCHES: traces that stop at the node's edge, or vanish with a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ConsoleServer } from '../../src/node/api/console-server';
import { createHandlers } from '../../src/node/api/handlers';
import { loadWebhookKeys } from '../../src/node/intake/webhook-keys';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../src/node/runtime';
import { mandala } from '../support/cli';
import { waitFor } from '../support/wait';
import { fix, post, SECRET, signed } from '../support/webhooks';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-trace-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dir: string, name: string, extra: Partial<RuntimeOptions> = {}): Promise<{ runtime: Runtime; base: string; stop(): Promise<void> }> {
  const runtime = await startRuntime({
    dir,
    version: 'test',
    create: true,
    name,
    listen: { host: '127.0.0.1', port: 0 },
    intake: { keys: loadWebhookKeys({ secret: SECRET }) },
    http: (n, intake) => new ConsoleServer({ node: n.api, handlers: createHandlers(n.api, 'test'), version: 'test', staticDir: null, intake: intake ?? undefined }).http,
    ...extra,
  });
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= runtime.stop());
  cleanup.push(stop);
  return { runtime, base: `http://127.0.0.1:${runtime.boundPort}`, stop };
}

const words = (r: Runtime, q: string) => r.node.api.inspect(q).map((t) => ({ source: t.source, steps: t.steps.map((s) => s.words), now: t.now }));

it('a_position_is_traced_into_the_peer_that_receives_it_and_relayed_once_its_frontier_holds_it', async () => {
  const camp = await start(folder(), 'camp');
  const depot = await start(folder(), 'depot', { peers: [`127.0.0.1:${camp.runtime.boundPort}`] });
  expect((await post(camp.base, signed({ positions: [fix('T-7', 1)] }, 'msg_relay'))).status).toBe(202);

  await waitFor(() => words(depot.runtime, 'T-7').some((t) => t.source === 'peer' && t.now.some((w) => w.startsWith('T-7: on the map'))), 'depot to receive and fold the position', 20_000);
  const [atDepot] = words(depot.runtime, 'T-7').filter((t) => t.source === 'peer');
  expect(atDepot!.steps).toEqual([
    'received 1 position from peer camp',
    'signature checked',
    expect.stringMatching(/^stored in the log as camp#\d+$/),
    'folded into the fleet projection (the map and the alerts)',
  ]);

  await waitFor(() => words(camp.runtime, 'msg_relay')[0]?.steps.some((w) => w.startsWith('relayed to peer depot')) ?? false, "camp's trace to record the relay to depot", 20_000);
  const [atCamp] = words(camp.runtime, 'msg_relay');
  expect(atCamp!.steps.at(-1)).toMatch(/^relayed to peer depot: its frontier holds it \(\d+\.\d s after the append\)$/);
  expect(atCamp!.now).toContain('acknowledged by peer depot');
});

it('a_trace_outlives_a_restart_and_a_delivery_left_in_the_inbox_is_taken_up_again', async () => {
  const dir = folder();
  const first = await start(dir, 'camp');
  expect((await post(first.base, signed({ positions: [fix('T-1', 1)] }, 'msg_before'))).status).toBe(202);
  await waitFor(() => words(first.runtime, 'msg_before')[0]?.now.some((w) => w.startsWith('T-1: on the map')) ?? false, 'the first delivery to be appended');
  first.runtime.intake!.buffer.stop();
  expect((await post(first.base, signed({ positions: [fix('T-2', 1), fix('T-2', 2)] }, 'msg_waiting'))).status).toBe(202);
  expect(words(first.runtime, 'msg_waiting')[0]!.now).toEqual(['waiting in the inbox, 0 positions ahead']);
  await first.stop();

  const second = await start(dir, 'camp');
  const before = words(second.runtime, 'msg_before');
  expect(before).toHaveLength(1);
  expect(before[0]!.steps).toEqual([
    expect.stringMatching(/^received 1 position from vendor/),
    'signature checked',
    'passed the gates',
    'durable in the inbox, 0 positions ahead',
    expect.stringMatching(/^appended to this node's feed as camp#\d+$/),
    'folded into the fleet projection (the map and the alerts)',
  ]);
  expect(before[0]!.now).toContain("T-1: on the map, in the truck's trail");

  // The drain appends what the inbox held, and its steps join the trace begun before the restart.
  await waitFor(() => words(second.runtime, 'msg_waiting')[0]?.now.some((w) => w.startsWith('T-2: on the map')) ?? false, 'the waiting delivery to be appended after the restart');
  const waiting = words(second.runtime, 'msg_waiting');
  expect(waiting).toHaveLength(1);
  expect(waiting[0]!.steps).toEqual([
    expect.stringMatching(/^received 2 positions from vendor/),
    'signature checked',
    'passed the gates',
    'durable in the inbox, 0 positions ahead',
    expect.stringMatching(/^appended to this node's feed as camp#\d+, camp#\d+$/),
    'folded into the fleet projection (the map and the alerts)',
  ]);
});

it('a_position_written_by_the_cli_beside_a_running_node_is_found_by_its_inspector', async () => {
  const dir = folder();
  const node = await start(dir, 'camp');
  const r = mandala(['position', 'T-9', '52.5', '13.4', '--time', '2026-12-01T08:00:00Z', '--data', dir]);
  expect(r.code, r.stderr).toBe(0);
  await waitFor(() => words(node.runtime, 'T-9')[0]?.now.some((w) => w.startsWith('T-9: on the map')) ?? false, 'the node to fold the position the CLI wrote');
  const [cli] = words(node.runtime, 'T-9');
  expect(cli!.source).toBe('cli');
  expect(cli!.steps).toEqual(['written by the command line (mandala position)', expect.stringMatching(/^appended to this node's feed as camp#\d+$/)]);
});
