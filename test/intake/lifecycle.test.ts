// PROVES: each webhook delivery's path is one OpenTelemetry trace the lifecycle inspector reads
//         back in words: found by webhook-id, truck or event id, an accepted delivery shows its
//         steps (signature checked, passed the gates, durable in the inbox, appended) and where
//         its position is now (on the map; no peer to relay to); a forged delivery shows where it
//         stopped (refused at the signature); a delivery behind others says how many positions
//         are ahead of it in the inbox. With --otlp the spans reach a collector over OTLP/HTTP.
//         The collector here is a stand-in (an HTTP server taking OTLP/HTTP JSON on /v1/traces):
//         no OpenTelemetry collector or Jaeger can be installed on this machine.
// CATCHES: positions that die silently, and traces that never leave the node.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ConsoleServer } from '../../src/node/api/console-server';
import { createHandlers } from '../../src/node/api/handlers';
import { loadWebhookKeys } from '../../src/node/intake/webhook-keys';
import { startRuntime, type Runtime } from '../../src/node/runtime';
import { waitFor } from '../support/wait';
import { fix, post, SECRET, signed } from '../support/webhooks';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Stand-in OTLP/HTTP collector: keeps the JSON bodies posted to /v1/traces. */
async function collector(): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces' && String(req.headers['content-type']).includes('json')) bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/traces`, bodies, server };
}

it('a_deliverys_path_is_one_trace_the_inspector_tells_in_words_and_the_collector_receives', async () => {
  const otlp = await collector();
  const dir = mkdtempSync(join(tmpdir(), 'mandala-lifecycle-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const runtime: Runtime = await startRuntime({
    dir,
    version: 'test',
    create: true,
    name: 'camp',
    listen: { host: '127.0.0.1', port: 0 },
    intake: { keys: loadWebhookKeys({ secret: SECRET }) },
    otlp: otlp.url,
    http: (n, intake) => new ConsoleServer({ node: n.api, handlers: createHandlers(n.api, 'test'), version: 'test', staticDir: null, intake: intake ?? undefined }).http,
  });
  cleanup.push(() => runtime.stop());
  const base = `http://127.0.0.1:${runtime.boundPort}`;
  const api = runtime.node.api;

  expect((await post(base, signed({ positions: [fix('T-1', 1)] }, 'msg_ok'))).status).toBe(202);
  const forged = signed({ positions: [fix('T-1', 2)] }, 'msg_forged', { secret: 'whsec_' + Buffer.from('not-the-vendors-secret-at-all-32b').toString('base64') });
  expect((await post(base, forged)).status).toBe(401);
  await waitFor(() => api.inspect('msg_ok')[0]?.now.some((w) => w.startsWith('T-1: on the map')) ?? false, 'the accepted position to be appended and folded');

  const [ok] = api.inspect('msg_ok');
  expect(ok!.steps.map((s) => s.words)).toEqual([
    expect.stringMatching(/^received 1 position from vendor \S+ \(webhook-id msg_ok\)$/),
    'signature checked',
    'passed the gates',
    expect.stringMatching(/^durable in the inbox, 0 positions ahead$/),
    expect.stringMatching(/^appended to this node's feed as camp#\d+$/),
    'folded into the fleet projection (the map and the alerts)',
  ]);
  expect(ok!.now).toEqual(['T-1: on the map, in the truck\'s trail', 'no peer to relay to yet']);
  const [bad] = api.inspect('msg_forged');
  expect(bad!.now[0]).toMatch(/^stopped: refused at the signature: .*\(signature_invalid\)$/);
  expect(api.inspect('T-1').map((t) => t.webhookId)).toEqual(['msg_ok']);
  const eventId = runtime.folder.store.readKinds(['truck.position'], 0, 10).events[0]!.id;
  expect(api.inspect(eventId.slice(0, 12)).map((t) => t.webhookId)).toEqual(['msg_ok']);

  // The drain held: a delivery behind another one waits, and says how many positions are ahead.
  runtime.intake!.buffer.stop();
  expect((await post(base, signed({ positions: [fix('T-2', 1), fix('T-2', 2)] }, 'msg_first'))).status).toBe(202);
  expect((await post(base, signed({ positions: [fix('T-3', 1)] }, 'msg_behind'))).status).toBe(202);
  expect(api.inspect('msg_behind')[0]!.now).toEqual(['waiting in the inbox, 2 positions ahead']);

  // The exporter sends in batches (every second).
  await waitFor(() => JSON.stringify(otlp.bodies).includes('msg_ok'), 'the spans to reach the collector', 15_000, 100);
  const spans = (otlp.bodies as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] }[]).flatMap((b) => b.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name))));
  expect(spans).toEqual(expect.arrayContaining(['position.received', 'signature.check', 'inbox.buffer', 'feed.append', 'fleet.project']));
});
