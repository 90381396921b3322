// PROVES: POST /ingest/v1/positions answers every status of its contract through a real HTTP
//         client against a node on a real SQLite folder: 202 once durable (the positions then
//         land in the node's feed, with the vendor as their source), 200 for a webhook-id seen
//         before (also after a restart), 400 for each kind of bad body (nothing written), 401
//         for missing or wrong signatures and timestamps outside 300 s either way, 413 for a
//         body over 64 KiB or over 500 positions, 429 with Retry-After when the inbox is full,
//         503 when the store cannot commit. Key rotation (several signatures), v1a Ed25519 and
//         a secrets file with several vendors work; the console's host rules do not apply.
// CATCHES: an acknowledged position lost or applied twice, a refused delivery half-written, a
//          replay re-applied after a restart, a forged or stale delivery accepted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleServer } from '../../src/node/api/console-server';
import { createHandlers } from '../../src/node/api/handlers';
import { loadWebhookKeys } from '../../src/node/intake/webhook-keys';
import type { ShedLimits } from '../../src/node/intake/load-gauge';
import { startRuntime, type Runtime } from '../../src/node/runtime';
import { waitFor } from '../support/wait';
import { serve } from '../support/cli';
import { edVendor, fix, post, rawRequest, SECRET, signed, wallNowMs } from '../support/webhooks';

const dirs: string[] = [];
const runtimes: Runtime[] = [];

afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.stop().catch(() => {});
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function node(opts: { dir?: string; secretsFile?: string; limits?: ShedLimits } = {}) {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'mandala-intake-'));
  if (!opts.dir) dirs.push(dir);
  const keys = loadWebhookKeys({ secret: opts.secretsFile ? undefined : SECRET, secretsFile: opts.secretsFile });
  const runtime = await startRuntime({
    dir,
    version: 'test',
    create: true,
    name: 'camp',
    listen: { host: '127.0.0.1', port: 0 },
    intake: { keys, limits: opts.limits },
    http: (n, intake) => new ConsoleServer({ node: n.api, handlers: createHandlers(n.api, 'test'), version: 'test', staticDir: null, intake: intake ?? undefined }).http,
  });
  runtimes.push(runtime);
  const base = `http://127.0.0.1:${runtime.boundPort}`;
  const positions = () => runtime.folder.store.readKinds(['truck.position'], 0, 1_000_000).events;
  const drained = () => waitFor(() => runtime.intake!.stats().waiting === 0, 'the inbox to drain', 10_000);
  return { dir, runtime, base, positions, drained };
}

describe('webhook intake: the status contract', () => {
  it('202_lands_each_position_once_with_its_source_and_200_answers_a_replay_even_after_a_restart', async () => {
    const n = await node();
    expect(n.runtime.intake!.stats().drainPerS, 'no drain rate is claimed before one was measured').toBeNull();
    const d = signed({ positions: [fix('T-1', 1), fix('T-1', 2), { ...fix('T-2', 1), heading: 359.6, accuracy_m: 4.2 }] }, 'msg_1');
    const first = await post(n.base, d);
    expect(first.status, JSON.stringify(first.json)).toBe(202);
    expect(first.json).toEqual({ accepted: 3, id: 'msg_1' });
    const again = await post(n.base, d);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ accepted: 0, id: 'msg_1', duplicate: true });
    await n.drained();
    const stored = n.positions();
    expect(stored.length, 'three positions, once each').toBe(3);
    expect(stored.map((e) => (e.payload as Record<string, unknown>)['source'])).toEqual(['webhook', 'webhook', 'webhook']);
    expect(stored[2]!.payload).toMatchObject({ truck: 'T-2', heading_deg: 0, accuracy_m: 4 });
    const fleet = n.runtime.node.api.projections.fleet as unknown as { trucks?: unknown };
    expect(fleet, 'folded into the live fleet projection').toBeDefined();

    await n.runtime.stop();
    runtimes.splice(runtimes.indexOf(n.runtime), 1);
    const restarted = await node({ dir: n.dir });
    expect((await post(restarted.base, signed(d.body, 'msg_1'))).status, 'a replay after a restart').toBe(200);
    expect(restarted.positions().length).toBe(3);
  });

  it('400_refuses_the_whole_delivery_for_any_bad_position_and_writes_nothing', async () => {
    const n = await node();
    const future = new Date(wallNowMs() + 25 * 3600_000).toISOString();
    const cases: [string, string | object, string][] = [
      ['not JSON', '{"positions": [', 'malformed_json'],
      ['no positions', { trucks: [] }, 'invalid_body'],
      ['a string latitude', { positions: [fix('T-1', 1), { ...fix('T-1', 2), lat: '1.5' }] }, 'invalid_body'],
      ['latitude 91', { positions: [fix('T-1', 1), { ...fix('T-1', 2), lat: 91 }] }, 'coordinate_out_of_range'],
      ['longitude -181', { positions: [{ ...fix('T-1', 2), lon: -181 }] }, 'coordinate_out_of_range'],
      ['a time that is not ISO-8601', { positions: [{ ...fix('T-1', 2), time: 'yesterday noon' }] }, 'bad_time'],
      ['a time 25 h ahead', { positions: [fix('T-1', 1), { ...fix('T-1', 2), time: future }] }, 'time_in_future'],
      ['a truck id too long', { positions: [{ ...fix('T-1', 2), truck_id: 'x'.repeat(65) }] }, 'invalid_body'],
      ['a negative speed', { positions: [{ ...fix('T-1', 2), speed_kmh: -3 }] }, 'invalid_body'],
    ];
    for (const [what, body, code] of cases) {
      const r = await post(n.base, signed(body, `bad-${code}-${what}`));
      expect(r.status, what).toBe(400);
      expect(r.json.error?.code, what).toBe(code);
      expect(r.json.error?.message.length, `${what}: a message a person can act on`).toBeGreaterThan(10);
    }
    const old = await post(n.base, signed({ positions: [fix('T-9', 1, '2024-01-01T00:00:00Z')] }, 'backlog'));
    expect(old.status, 'an old time is a backlog, accepted').toBe(202);
    await n.drained();
    expect(n.positions().map((e) => (e.payload as Record<string, unknown>)['truck']), 'only the backlog fix was written').toEqual(['T-9']);
  });

  it('401_for_missing_or_forged_signatures_and_stale_or_early_timestamps_and_rotation_and_ed25519_pass', async () => {
    const ed = edVendor();
    const dir = mkdtempSync(join(tmpdir(), 'mandala-secrets-'));
    dirs.push(dir);
    const file = join(dir, 'secrets.json');
    writeFileSync(file, JSON.stringify({ acme: SECRET, roadtrack: ed.publicKey }));
    const n = await node({ secretsFile: file });
    const body = { positions: [fix('T-1', 1)] };
    const nowS = () => Math.floor(wallNowMs() / 1000);
    const good = signed(body, 'm-good');
    // Built as each request is sent: a slow machine must not drift a timestamp into the window.
    const cases: [string, () => Record<string, string>, string][] = [
      ['no signature header', () => ({ ...good.headers, 'webhook-signature': '' }), 'signature_missing'],
      ['no id header', () => Object.fromEntries(Object.entries(good.headers).filter(([k]) => k !== 'webhook-id')), 'signature_missing'],
      ['another secret', () => signed(body, 'm-x', { secret: 'whsec_' + Buffer.from('not-the-vendors-secret-at-all!!').toString('base64') }).headers, 'signature_invalid'],
      ['a body changed after signing', () => ({ ...signed({ positions: [fix('T-1', 2)] }, 'm-good').headers }), 'signature_invalid'],
      ['310 s old', () => signed(body, 'm-old', { nowS: nowS() - 310 }).headers, 'timestamp_outside_window'],
      ['310 s early', () => signed(body, 'm-new', { nowS: nowS() + 310 }).headers, 'timestamp_outside_window'],
      ['a timestamp that is not seconds', () => ({ ...good.headers, 'webhook-timestamp': 'soon' }), 'timestamp_invalid'],
    ];
    for (const [what, headers, code] of cases) {
      const r = await post(n.base, { headers: headers(), body: good.body });
      expect(r.status, what).toBe(401);
      expect(r.json.error?.code, what).toBe(code);
    }
    expect((await post(n.base, signed(body, 'm-early', { nowS: nowS() + 280 }))).status, '280 s early is within the window').toBe(202);
    const rotated = signed({ positions: [fix('T-1', 3)] }, 'm-rot', { extraSignatures: ['v1,bm90LXRoZS1zaWduYXR1cmU=', 'v2,whatever'] });
    expect((await post(n.base, rotated)).status, 'one good signature among several').toBe(202);
    expect((await post(n.base, ed.sign(JSON.stringify({ positions: [fix('T-2', 1)] }), 'm-ed'))).status, 'v1a Ed25519').toBe(202);
    const forgedEd = ed.sign(JSON.stringify({ positions: [fix('T-2', 1)] }), 'm-ed2');
    expect((await post(n.base, { headers: forgedEd.headers, body: JSON.stringify({ positions: [fix('T-2', 9)] }) })).status, 'v1a over other bytes').toBe(401);
    await n.drained();
    expect(n.positions().map((e) => (e.payload as Record<string, unknown>)['source']).sort(), 'the vendor that signed is the source').toEqual(['acme', 'acme', 'roadtrack']);
  });

  it('413_for_a_body_over_64_kib_or_over_500_positions_and_the_host_rules_do_not_apply', async () => {
    const n = await node();
    const many = { positions: Array.from({ length: 501 }, (_, i) => fix('T-1', i)) };
    const r1 = await post(n.base, signed(many, 'm-many'));
    expect(r1.status).toBe(413);
    expect(r1.json.error?.code).toBe('too_many_positions');
    const big = signed({ positions: [fix('T-1', 1)], pad: 'x'.repeat(70_000) }, 'm-big');
    const r2 = await post(n.base, big);
    expect(r2.status).toBe(413);
    expect(r2.json.error?.code).toBe('body_too_large');
    const viaName = signed({ positions: [fix('T-3', 1)] }, 'm-host');
    expect((await rawRequest(n.base, 'POST', '/ingest/v1/positions', { ...viaName.headers, host: 'fleet.example.org' }, viaName.body)).status, 'a vendor posting to the public name').toBe(202);
    expect((await rawRequest(n.base, 'GET', '/api/health', { host: 'fleet.example.org' })).status, 'the console itself still refuses a foreign host').toBe(403);
    await n.drained();
    expect(n.positions().length).toBe(1);
  });

  it('429_with_retry_after_when_the_inbox_is_full_and_everything_acknowledged_is_kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mandala-behind-'));
    dirs.push(dir);
    // A node whose own feed must be recovered first cannot sign: acknowledged positions wait.
    const first = await node({ dir });
    const self = first.runtime.node.self;
    await first.runtime.stop();
    runtimes.splice(0);
    writeFileSync(join(dir, 'own-heads.json'), JSON.stringify({ format: 1, heads: { [self]: { seq: 50, id: 'ab'.repeat(32) } } }));
    const n = await node({ dir, limits: { maxDepth: 40, maxCommitMs: 10_000, maxLoopDelayMs: 10_000 } });
    let acknowledged = 0;
    let shed: { retryAfter: string | null; code?: string } | null = null;
    for (let i = 0; i < 20 && !shed; i++) {
      const r = await post(n.base, signed({ positions: Array.from({ length: 10 }, (_, k) => fix(`T-${i}`, k)) }, `burst-${i}`), { retryShed: false });
      if (r.status === 202) acknowledged += r.json.accepted!;
      else if (r.status === 429) shed = { retryAfter: r.retryAfter, code: r.json.error?.code };
      else throw new Error(`unexpected ${r.status} ${JSON.stringify(r.json)}`);
    }
    expect(shed, 'the endpoint sheds load once 40 positions wait').not.toBeNull();
    expect(shed!.code).toBe('overloaded');
    expect(Number(shed!.retryAfter), 'Retry-After in whole seconds').toBeGreaterThanOrEqual(1);
    expect(acknowledged).toBe(40);
    await waitFor(() => n.runtime.node.problems.list().some((p) => p.code === 'intake_drain_failed'), 'the operator to be told', 5000);
    expect(n.runtime.node.problems.list().find((p) => p.code === 'intake_drain_failed')!.message).toMatch(/\d+ acknowledged positions could not be signed .*kept and retried/);
    expect(n.runtime.folder.store.inbox.inboxDepth(), 'every acknowledged position is kept').toBe(40);
  });

  it('503_when_the_store_cannot_commit_and_nothing_is_acknowledged', async () => {
    const n = await node();
    n.runtime.folder.store.close();
    const r = await post(n.base, signed({ positions: [fix('T-1', 1)] }, 'm-closed'));
    expect(r.status).toBe(503);
    expect(r.json.error?.code).toBe('store_unavailable');
    const health = await fetch(`${n.base}/api/health`);
    expect(health.status, 'the node is up and says its store is not').toBe(503);
    expect(((await health.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
  });
});

describe('webhook keys', () => {
  it('a_short_shared_secret_is_named_weak_and_serve_says_so_at_start', async () => {
    const short = 'whsec_' + Buffer.from('ten bytes!').toString('base64');
    const [weak] = loadWebhookKeys({ secret: short });
    expect(weak!.weak).toMatch(/only 10 bytes.*24 to 64 random bytes/);
    expect(loadWebhookKeys({ secret: SECRET })[0]!.weak, 'a 34-byte secret is fine').toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'mandala-weak-'));
    dirs.push(dir);
    const served = await serve(['--data', dir, '--port', '0', '--no-discover', '--webhook-secret', short]);
    try {
      expect(served.output()).toMatch(/warning: the --webhook-secret is only 10 bytes/);
    } finally {
      await served.stop();
    }
  });
});

describe('webhook intake: late fixes', () => {
  // PROVES: a fix a vendor delivers late (taken between two fixes it delivered before) is kept
  //         in the trail in its place, marked historical, never moves the truck back, and fires
  //         no alert (it lies inside a geofence the live fixes never enter).
  it('a_late_fix_through_the_webhook_is_historical_and_never_moves_the_truck_back', async () => {
    const n = await node();
    // A geofence around where only the late fix is: were it live, it would enter and leave it.
    const ring = [[-1.3, 36.81], [-1.3, 36.83], [-1.297, 36.83], [-1.297, 36.81]];
    for (const r of n.runtime.node.writer.append([
      { kind: 'record.create', payload: { record_id: 'G-late', form: 'geofence' } },
      { kind: 'field.set', payload: { record_id: 'G-late', field: 'ring', value: ring, deps: [] } },
    ]))
      expect(r.ok).toBe(true);
    const t0 = wallNowMs() - 600_000;
    const at = (ms: number, dLat: number) => ({ truck_id: 'T-9', lat: -1.29 + dLat, lon: 36.82, time: new Date(t0 + ms).toISOString() });
    // 2.5 km in a minute, then the fix taken half-way through, delivered last (1 km the other way).
    expect((await post(n.base, signed({ positions: [at(0, 0), at(60_000, 0.0225)] }, 'msg_live'))).status).toBe(202);
    await n.drained();
    expect((await post(n.base, signed({ positions: [at(30_000, -0.009)] }, 'msg_late'))).status).toBe(202);
    await n.drained();
    await waitFor(() => n.runtime.node.api.projections.fleet.summary('T-9', 10)?.fixCount === 3, 'the late fix to be folded');
    const s = n.runtime.node.api.projections.fleet.summary('T-9', 10)!;
    expect(s.current?.fixMs, 'still at its newest live fix').toBe(t0 + 60_000);
    expect(s.trail.map((f) => [f.fixMs - t0, f.flag, f.historical])).toEqual([
      [0, null, false],
      [30_000, null, true],
      [60_000, null, false],
    ]);
    expect(n.runtime.node.api.projections.alerts.alerts(), 'a late fix fires no alert').toEqual([]);
  });
});
