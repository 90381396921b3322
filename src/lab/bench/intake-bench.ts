// Webhook intake under a burst: a real HTTP load generator (autocannon) on loopback against
// `mandala serve` in its own process, signed deliveries from 50,000 distinct trucks at 1 and at
// 50 positions per delivery. Baseline: a bare HTTP server (also its own process) that answers
// 202 without doing anything, driven the same way in the same run. Acknowledged positions are
// then counted in the node's SQLite file: stored must equal acknowledged, with no duplicates.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock, startStopwatch } from '../../node/clock/system-clock';
import { NodeCrypto } from '../../node/crypto/node-crypto';
import { SqliteFeedStore } from '../../node/store/sqlite/sqlite-store';
import type { BenchRow } from './report';
import { peakRssMb, startChild } from './child';

const SECRET = 'whsec_' + Buffer.from('mandala-bench-webhook-secret-32b').toString('base64');
const CONNECTIONS = 64;
const BARE_SERVER = `
import { createServer } from 'node:http';
const s = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(202, { 'Content-Type': 'application/json' }); res.end('{"accepted":1,"id":"x"}'); }); });
s.listen(0, '127.0.0.1', () => console.log('listening ' + s.address().port));
`;

interface Load {
  readonly deliveries: number;
  readonly perDelivery: number;
  readonly trucks: number;
}

interface LoadResult {
  readonly seconds: number;
  readonly statuses: Record<number, number>;
  readonly retryAfters: number[];
  readonly ackedPositions: number;
  readonly p50: number;
  readonly p99: number;
}

/** Delivery i: `perDelivery` positions of consecutive trucks, each truck a few fixes over the burst. */
function bodyOf(load: Load, i: number): string {
  const positions = [];
  for (let k = 0; k < load.perDelivery; k++) {
    const n = i * load.perDelivery + k;
    const truck = n % load.trucks;
    const round = Math.floor(n / load.trucks);
    positions.push({ truck_id: `T-${truck}`, lat: -1 + truck / 100_000, lon: 36 + round / 1000, time: new Date(Date.UTC(2026, 11, 1, 8, 0, round)).toISOString(), speed_kmh: 50 });
  }
  return JSON.stringify({ positions });
}

async function drive(port: number, load: Load, runLabel: string): Promise<LoadResult> {
  const { default: autocannon } = await import('autocannon');
  // The vendor's side: bodies built before the clock starts, each signed as it is sent (HMAC with
  // node:crypto, as a vendor's server would), so the load generator is not what is measured.
  const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
  const bodies = Array.from({ length: load.deliveries }, (_, i) => bodyOf(load, i));
  const clock = new SystemClock();
  let next = 0;
  const statuses: Record<number, number> = {};
  const retryAfters: number[] = [];
  let ackedPositions = 0;
  const watch = startStopwatch();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    amount: load.deliveries,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/ingest/v1/positions',
        setupRequest: (req: Record<string, unknown>) => {
          const i = next++ % load.deliveries;
          const body = bodies[i]!;
          const id = `${runLabel}-${i}`;
          const ts = String(Math.floor(clock.nowMs() / 1000));
          const signature = `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`;
          const headers = { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': signature };
          return { ...req, body, headers };
        },
        onResponse: (status: number, body: string, _ctx: unknown, headers: Record<string, string>) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 429) retryAfters.push(Number(headers['Retry-After'] ?? headers['retry-after']));
          if (status === 202) ackedPositions += (JSON.parse(body) as { accepted: number }).accepted;
        },
      },
    ],
  } as never);
  const r = result as unknown as { latency: { p50: number; p99: number } };
  return { seconds: watch.elapsedMs() / 1000, statuses, retryAfters, ackedPositions, p50: r.latency.p50, p99: r.latency.p99 };
}

async function health(port: number): Promise<{ events: number; intake: { waiting: number; loopSinceStartMs: { p50: number; p99: number; max: number } } }> {
  return (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as never;
}

async function runNode(load: Load, label: string, log: (s: string) => void): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-bench-intake-'));
  const bin = process.argv[1]!;
  const node = await startChild([bin, 'serve', '--data', dir, '--port', '0', '--no-discover', '--webhook-secret', SECRET], /console: http:\/\/[^:]+:(\d+)/);
  try {
    const before = (await health(node.port)).events;
    log(`intake: ${load.deliveries.toLocaleString('en-US')} deliveries of ${load.perDelivery} to mandala serve`);
    const r = await drive(node.port, load, label);
    const drainWatch = startStopwatch();
    for (;;) {
      const h = await health(node.port);
      if (h.intake.waiting === 0 && h.events - before >= r.ackedPositions) break;
      if (drainWatch.elapsedMs() > 300_000) throw new Error('the inbox did not drain within 5 minutes');
      await new Promise((res) => setTimeout(res, 100));
    }
    const signedSeconds = r.seconds + drainWatch.elapsedMs() / 1000;
    const loop = (await health(node.port)).intake.loopSinceStartMs;
    const rss = peakRssMb(node.proc.pid!);
    await node.stop();
    const store = SqliteFeedStore.open(join(dir, 'mandala.db'), { crypto: new NodeCrypto(), readonly: true });
    const events = store.readKinds(['truck.position'], 0, 10_000_000).events;
    store.close();
    const unique = new Set(events.map((e) => { const p = e.payload as Record<string, unknown>; return `${p['truck']}@${p['fix_ms']}`; })).size;
    const retry = r.retryAfters.length ? `Retry-After ${Math.min(...r.retryAfters)}..${Math.max(...r.retryAfters)} s` : 'no 429';
    const statusText = Object.entries(r.statuses).map(([s, n]) => `${s}: ${n}`).join(', ');
    const s = `intake ${label}`;
    return [
      { section: s, metric: 'accepted positions/s (202, durable)', value: r.ackedPositions / r.seconds, unit: 'pos/s' },
      { section: s, metric: 'positions/s signed into the feed (burst + drain)', value: r.ackedPositions / signedSeconds, unit: 'pos/s' },
      { section: s, metric: 'deliveries/s', value: load.deliveries / r.seconds, unit: 'req/s', note: statusText },
      { section: s, metric: '429 responses', value: r.statuses[429] ?? 0, unit: '', note: retry },
      { section: s, metric: 'latency p50 / p99', value: r.p50, unit: 'ms', note: `p99 ${r.p99} ms` },
      { section: s, metric: 'peak RSS of serve', value: rss, unit: 'MB' },
      { section: s, metric: 'event-loop delay p99', value: loop.p99, unit: 'ms', note: `p50 ${loop.p50.toFixed(1)} ms, max ${loop.max.toFixed(0)} ms` },
      { section: s, metric: 'acknowledged vs stored', value: events.length, unit: 'stored', note: `${r.ackedPositions} acknowledged, ${events.length - unique} duplicates` },
    ];
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runBare(load: Load, label: string): Promise<number> {
  const bare = await startChild(['--input-type=module', '-e', BARE_SERVER], /listening (\d+)/);
  try {
    const r = await drive(bare.port, load, `bare-${label}`);
    return load.deliveries / r.seconds;
  } finally {
    await bare.stop();
  }
}

export async function benchIntake(scale: number, log: (s: string) => void): Promise<BenchRow[]> {
  const trucks = Math.max(1000, Math.round(50_000 * scale));
  const rows: BenchRow[] = [];
  for (const perDelivery of [1, 50]) {
    // At 50 per delivery each truck reports 4 fixes, so the burst is long enough to measure.
    const load: Load = { trucks, perDelivery, deliveries: perDelivery === 1 ? trucks : (trucks * 4) / perDelivery };
    const label = `${perDelivery}/delivery`;
    const bareRate = await runBare(load, label);
    const nodeRows = await runNode(load, label, log);
    const deliveriesRow = nodeRows.find((r) => r.metric === 'deliveries/s')!;
    rows.push(...nodeRows.map((r) => (r === deliveriesRow ? { ...r, baseline: { label: 'bare HTTP 202', value: bareRate, unit: 'req/s' }, ratio: r.value / bareRate } : r)));
  }
  return rows;
}
