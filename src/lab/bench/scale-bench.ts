// The node at fleet scale: the same `mandala serve` over stores of growing history (100k and 1M
// events at scale 1), each in its own process as a user starts it. For each size: start time cold
// (folding every event) and from the checkpoint, resident memory, the checkpoint the node saves
// after a cold start, Consistent fleet reports over the console API (the first after a cold start,
// the next one, the first after a start from the checkpoint), and how long the node left its
// health check waiting meanwhile (a direct probe every 20 ms, beside the node's own
// loop-delay figures). Baseline: a raw SQLite scan with SHA-256 of the same rows, in the same run.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStopwatch } from '../../node/clock/system-clock';
import { openNode } from '../../node/open-node';
import type { LoopDelayDto } from '../../shared/api';
import { apiCall, loopOf, probeHealth } from './probe';
import { rssMb, startChild, type Child } from './child';
import { signedRuns } from './fixtures';
import type { BenchRow } from './report';

const AUTHORS = 100;
const MIN_EVENTS = 60_000;
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve(dir: string): Promise<{ node: Child; seconds: number }> {
  const watch = startStopwatch();
  const node = await startChild([process.argv[1]!, 'serve', '--data', dir, '--port', '0', '--no-discover'], /console: http:\/\/[^:]+:(\d+)/);
  return { node, seconds: watch.elapsedMs() / 1000 };
}

async function atSize(total: number, log: (s: string) => void): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-bench-scale-'));
  const section = `scale ${total >= 1e6 ? `${total / 1e6}M` : `${total / 1e3}k`}`;
  let node: Child | null = null;
  try {
    log(`scale: building a node with ${n(total)} events`);
    const folder = openNode(dir, { create: true, name: 'bench' });
    for (let a = 0; a < AUTHORS; a += 10) folder.store.ingest(signedRuns(folder.crypto, 10, total / AUTHORS, 1000, a), 0);
    folder.store.close();
    const raw = new Database(join(dir, 'mandala.db'), { readonly: true });
    const scanWatch = startStopwatch();
    for (const row of raw.prepare('SELECT bytes FROM events ORDER BY pos').iterate() as Iterable<{ bytes: Buffer }>) createHash('sha256').update(row.bytes).digest();
    const scanS = scanWatch.elapsedMs() / 1000;
    raw.close();
    const scanBaseline = { label: 'raw SQLite scan + SHA-256 of the rows', value: scanS, unit: 's' };

    log(`scale: ${section}: cold start`);
    const cold = await serve(dir);
    node = cold.node;
    const rssCold = rssMb(node.proc.pid!);
    // The start found every event outside a checkpoint: the node saves one, off its loop.
    const cpProbe = probeHealth(node.port);
    const cpWatch = startStopwatch();
    // Asks for the newest checkpoint's event count only: reading its whole state here would
    // stall this process, and the probe with it.
    const reader = new Database(join(dir, 'mandala.db'), { readonly: true });
    const newest = reader.prepare('SELECT event_count AS n FROM checkpoints ORDER BY checkpoint_id DESC LIMIT 1');
    while (((newest.get() as { n: number } | undefined)?.n ?? 0) < total) {
      if (cpWatch.elapsedMs() > 600_000) throw new Error('no checkpoint within 10 minutes');
      await sleep(100);
    }
    reader.close();
    const checkpointS = cpWatch.elapsedMs() / 1000;
    const cp = await cpProbe.stop();
    const cpLoop = await loopOf(node.port);

    log(`scale: ${section}: a Consistent fleet report`);
    const reportProbe = probeHealth(node.port);
    const reportWatch = startStopwatch();
    await apiCall(node.port, 'reports.create', { projection: 'fleet' }, 600_000);
    const reportS = reportWatch.elapsedMs() / 1000;
    const report = await reportProbe.stop();
    const reportLoop = await loopOf(node.port);
    // Nothing the fleet reads changed since: the second report re-hashes nothing but the root.
    const againWatch = startStopwatch();
    await apiCall(node.port, 'reports.create', { projection: 'fleet' }, 600_000);
    const againS = againWatch.elapsedMs() / 1000;
    const rssReport = rssMb(node.proc.pid!);
    // A worker thread (the checkpoint's) ends when idle, and its heap goes with it.
    await sleep(5_000);
    const rssSettled = rssMb(node.proc.pid!);
    await node.stop();

    log(`scale: ${section}: start from the checkpoint`);
    const warm = await serve(dir);
    node = warm.node;
    const rssWarm = rssMb(node.proc.pid!);
    // The checkpoint carries the trucks' digests: the first report after this start uses them.
    const warmProbe = probeHealth(node.port);
    const warmWatch = startStopwatch();
    await apiCall(node.port, 'reports.create', { projection: 'fleet' }, 600_000);
    const warmReportS = warmWatch.elapsedMs() / 1000;
    const warmReport = await warmProbe.stop();
    await node.stop();
    node = null;

    const loopNote = (l: LoopDelayDto) => `the node's own loop delay over the last minute: p99 ${l.p99Ms} ms, max ${l.maxMs} ms`;
    return [
      { section, metric: 'start, cold (fold every event)', value: cold.seconds, unit: 's', baseline: scanBaseline, ratio: cold.seconds / scanS },
      { section, metric: 'start from the checkpoint', value: warm.seconds, unit: 's', baseline: { label: 'cold start', value: cold.seconds, unit: 's' }, ratio: warm.seconds / cold.seconds },
      { section, metric: 'RSS after a cold start', value: rssCold, unit: 'MB', note: `${rssWarm.toFixed(0)} MB after a start from the checkpoint; ${rssReport.toFixed(0)} MB right after the report, ${rssSettled.toFixed(0)} MB 5 s later` },
      { section, metric: 'checkpoint after the cold start (worker, in parts)', value: checkpointS, unit: 's', baseline: scanBaseline, ratio: checkpointS / scanS },
      { section, metric: 'health check, slowest answer while checkpointing', value: cp.maxMs, unit: 'ms', note: `${cp.samples} probes; ${loopNote(cpLoop)}` },
      { section, metric: 'Consistent fleet report over the API, first after a cold start', value: reportS, unit: 's', baseline: scanBaseline, ratio: reportS / scanS, note: 'every truck\'s digest made, in slices of the event loop' },
      { section, metric: 'health check, slowest answer during the report', value: report.maxMs, unit: 'ms', note: `${report.samples} probes; ${loopNote(reportLoop)}` },
      { section, metric: 'Consistent fleet report over the API, the next one', value: againS, unit: 's', baseline: { label: 'the first report', value: reportS, unit: 's' }, ratio: againS / reportS, note: 'no truck changed in between: only the root is hashed' },
      {
        section,
        metric: 'Consistent fleet report over the API, first after a start from the checkpoint',
        value: warmReportS,
        unit: 's',
        baseline: scanBaseline,
        ratio: warmReportS / scanS,
        note: `the checkpoint's digests reused; slowest health answer meanwhile ${warmReport.maxMs.toFixed(0)} ms over ${warmReport.samples} probes`,
      },
    ];
  } finally {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchScale(scale: number, log: (s: string) => void): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const size of [100_000, 1_000_000]) {
    // Never below what makes the node save a checkpoint by itself (its policy: 50k new events).
    const total = Math.max(MIN_EVENTS, Math.round((size * scale) / AUTHORS) * AUTHORS);
    rows.push(...(await atSize(total, log)));
  }
  return rows;
}
