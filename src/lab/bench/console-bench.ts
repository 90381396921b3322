// The console under a fleet: 5,000 trucks reporting through signed webhooks to `mandala serve`
// (its own process) while Debian's Chromium shows the live map. Measured in the page: the frame
// times (requestAnimationFrame deltas, p50/p95) and the time from a fix leaving the vendor to the
// first frame that draws it (the map's `data-drawn-fix-ms` hook: the newest fix time drawn, read
// against the page's wall clock, which is this machine's). Baselines from the same run: the same
// page with the same 5,000 trucks and no updates (frames), and the webhook's own acknowledgement
// (a fix is durable in the node's log before it can be pushed).
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasChromium, launchChromium } from '../browser/chromium';
import { SystemClock, startStopwatch } from '../../node/clock/system-clock';
import { startChild } from './child';
import type { BenchRow } from './report';

const SECRET = 'whsec_' + Buffer.from('mandala-bench-console-secret-32b').toString('base64');
const PER_DELIVERY = 50;

/** Frame and draw observations, collected in the page (a string: it runs before the console's own scripts). */
const PROBE = `
window.__bench = { frames: [], drawn: [], measuring: false };
let last = 0;
const tick = (t) => { if (last && window.__bench.measuring) window.__bench.frames.push(t - last); last = t; requestAnimationFrame(tick); };
requestAnimationFrame(tick);
new MutationObserver((records) => {
  const at = performance.timeOrigin + performance.now();
  for (const r of records) if (window.__bench.measuring) window.__bench.drawn.push([at, Number(r.target.getAttribute('data-drawn-fix-ms'))]);
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-drawn-fix-ms'] });
`;

const quantile = (values: readonly number[], q: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : Number.NaN;
};

interface Probe {
  frames: number[];
  drawn: [number, number][];
  measuring: boolean;
}

export async function benchConsole(scale: number, log: (s: string) => void): Promise<BenchRow[]> {
  if (!hasChromium()) {
    log('console: skipped, Chromium is not installed (apt-get install chromium)');
    return [];
  }
  const trucks = Math.max(100, Math.round(5000 * Math.min(scale, 1)));
  const loadSeconds = scale >= 1 ? 20 : 8;
  const dir = mkdtempSync(join(tmpdir(), 'mandala-bench-console-'));
  const node = await startChild([process.argv[1]!, 'serve', '--data', dir, '--port', '0', '--no-discover', '--webhook-secret', SECRET], /console: http:\/\/[^:]+:(\d+)/);
  const browser = await launchChromium();
  const clock = new SystemClock();
  const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
  let sent = 0;
  const acks: number[] = [];
  /** One delivery: PER_DELIVERY trucks from `first`, each fixed now, a little further on than before. */
  const deliver = async (first: number, round: number) => {
    const nowMs = clock.nowMs();
    const positions = [];
    for (let k = 0; k < PER_DELIVERY; k++) {
      const t = (first + k) % trucks;
      positions.push({ truck_id: `T-${t}`, lat: -2 + (t % 70) / 25, lon: 35 + Math.floor(t / 70) / 25 + round / 2000, time: new Date(nowMs).toISOString(), speed_kmh: 40, heading: 90 });
    }
    const body = JSON.stringify({ positions });
    const id = `console-${sent++}`;
    const ts = String(Math.floor(nowMs / 1000));
    const signature = `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`;
    const watch = startStopwatch();
    const res = await fetch(`http://127.0.0.1:${node.port}/ingest/v1/positions`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': signature } });
    await res.arrayBuffer();
    if (res.status === 202) acks.push(watch.elapsedMs());
  };
  try {
    log(`console: ${trucks.toLocaleString('en-US')} trucks into mandala serve, then the live map in Chromium`);
    for (let first = 0; first < trucks; first += PER_DELIVERY * 4) await Promise.all([0, 1, 2, 3].map((j) => deliver(first + j * PER_DELIVERY, 0)));
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${node.port}/`);
    await page.waitForSelector('[data-testid="map"][data-map-ready="true"]', { timeout: 120_000 });
    const drawnTrucks = async () => Number((await page.getAttribute('[data-testid="map"]', 'data-rendered-trucks')) ?? 0);
    const wait = startStopwatch();
    while ((await drawnTrucks()) < trucks * 0.9 && wait.elapsedMs() < 120_000) await page.waitForTimeout(250);
    const shown = await drawnTrucks();
    const measure = async (ms: number, during?: () => Promise<void>): Promise<Probe> => {
      await page.evaluate('window.__bench.frames = []; window.__bench.drawn = []; window.__bench.measuring = true');
      await (during ? during() : page.waitForTimeout(ms));
      return (await page.evaluate('(() => { window.__bench.measuring = false; return window.__bench; })()')) as Probe;
    };
    const idle = await measure(5000);
    // The draw cost alone: the same map panned to and fro (redrawn every frame), no new fixes.
    await page.focus('.maplibregl-canvas');
    const panned = await measure(0, async () => {
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
        await page.waitForTimeout(150);
      }
    });
    // Every truck reports every 10 s: trucks / 10 positions a second, in deliveries of 50.
    const perSecond = trucks / 10;
    const deliveriesPerSecond = perSecond / PER_DELIVERY;
    acks.length = 0;
    // The node's share: when each push of the fleet reaches a plain WebSocket client, against the
    // newest fix it carries.
    const { WebSocket } = await import('ws');
    const pushLag: number[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${node.port}/api/ws`);
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { push?: string; data?: { trucks: { current: { fixMs: number } | null }[] } };
      if (msg.push !== 'fleet' || !msg.data) return;
      const newest = msg.data.trucks.reduce((m, t) => Math.max(m, t.current?.fixMs ?? 0), 0);
      if (newest > 0) pushLag.push(clock.nowMs() - newest);
    });
    await new Promise((r) => ws.once('open', r));
    // BENCH_CONSOLE_PROFILE=FILE saves the page's CPU profile under load (open it in Chrome's DevTools).
    const profileTo = process.env['BENCH_CONSOLE_PROFILE'];
    const cdp = profileTo ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const busy = await measure(0, async () => {
      const run = startStopwatch();
      let n = 0;
      const inFlight: Promise<void>[] = [];
      while (run.elapsedMs() < loadSeconds * 1000) {
        const due = Math.floor((run.elapsedMs() / 1000) * deliveriesPerSecond);
        for (; n < due; n++) inFlight.push(deliver((n * PER_DELIVERY) % trucks, 1 + Math.floor((n * PER_DELIVERY) / trucks)).catch(() => undefined));
        await new Promise((r) => setTimeout(r, 20));
      }
      await Promise.all(inFlight);
      await page.waitForTimeout(1500);
    });
    ws.close();
    const clustered = (await page.getAttribute('[data-testid="map"]', 'data-clustered')) === 'true';
    // What the dispatcher saw under load, beside the bench's JSON.
    mkdirSync('bench-results', { recursive: true });
    await page.screenshot({ path: join('bench-results', 'console-fleet.png') });
    if (cdp && profileTo) writeFileSync(profileTo, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    await context.close();
    const lag = busy.drawn.map(([at, fixMs]) => at - fixMs).filter((v) => Number.isFinite(v) && v > -1000);
    const ackP50 = quantile(acks, 0.5);
    const s = 'console';
    const note = `${shown.toLocaleString('en-US')} trucks drawn${clustered ? ' (clustered at this zoom)' : ''}, ${perSecond.toLocaleString('en-US')} fixes/s for ${loadSeconds} s; ${busy.frames.length} frames measured under load, ${panned.frames.length} panned`;
    return [
      { section: s, metric: `renderer frame time p50, ${trucks.toLocaleString('en-US')} trucks reporting`, value: quantile(busy.frames, 0.5), unit: 'ms', baseline: { label: 'same map panned, no new fixes, p50', value: quantile(panned.frames, 0.5), unit: 'ms' }, ratio: quantile(busy.frames, 0.5) / quantile(panned.frames, 0.5), note },
      { section: s, metric: `renderer frame time p95 (target 33 ms)`, value: quantile(busy.frames, 0.95), unit: 'ms', baseline: { label: 'same map panned, no new fixes, p95', value: quantile(panned.frames, 0.95), unit: 'ms' }, ratio: quantile(busy.frames, 0.95) / quantile(panned.frames, 0.95), note: `still map: p50 ${quantile(idle.frames, 0.5).toFixed(1)} ms, p95 ${quantile(idle.frames, 0.95).toFixed(1)} ms` },
      { section: s, metric: 'fix to pixel p50 (webhook sent to first frame that draws it; target 250 ms)', value: quantile(lag, 0.5), unit: 'ms', baseline: { label: 'webhook acknowledged (durable), p50', value: ackP50, unit: 'ms' }, ratio: quantile(lag, 0.5) / ackP50, note: `${lag.length} draws observed; p95 ${quantile(lag, 0.95).toFixed(0)} ms` },
      { section: s, metric: 'fix to push p50 (the node\'s share: webhook sent to its fix in a pushed update)', value: quantile(pushLag, 0.5), unit: 'ms', baseline: { label: 'webhook acknowledged (durable), p50', value: ackP50, unit: 'ms' }, ratio: quantile(pushLag, 0.5) / ackP50, note: `${pushLag.length} pushes; p95 ${quantile(pushLag, 0.95).toFixed(0)} ms` },
      { section: s, metric: 'fix to pixel p95', value: quantile(lag, 0.95), unit: 'ms', baseline: { label: 'webhook acknowledged (durable), p95', value: quantile(acks, 0.95), unit: 'ms' }, ratio: quantile(lag, 0.95) / quantile(acks, 0.95) },
    ];
  } finally {
    await browser.close();
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
