// Replication: 100k signed events over a loopback TCP socket into an empty node's durable storage,
// as a user does it (`mandala serve` on the source folder, then `mandala sync --peer` from an
// empty one, timed on the wall from the command's start to its exit, so the CLI's own start is
// counted against Mandala). Baseline, in the same run: Hypercore 11 (a dev dependency) with the
// same events' canonical bytes as entries, appended to one core in batches of 1,000 and replicated
// to an empty core over a loopback TCP socket until every entry is downloaded.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeCrypto } from '../../node/crypto/node-crypto';
import { startStopwatch } from '../../node/clock/system-clock';
import { DB_FILE } from '../../node/datadir';
import { SqliteFeedStore } from '../../node/store/sqlite/sqlite-store';
import { childNodeFlags, startChild } from './child';
import { signedRuns } from './fixtures';
import type { BenchRow } from './report';

function run(args: string[]): void {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mandala ${args.slice(1, 2).join(' ')} failed: ${r.stderr}`);
}

/** Mandala: seconds from `mandala sync` starting to its exit with every event stored. */
async function mandalaSeconds(blocks: number, root: string): Promise<{ seconds: number; stored: number }> {
  // One feed of `blocks` events (one signature per 500), like the one core Hypercore replicates.
  const bin = process.argv[1]!;
  const crypto = new NodeCrypto();
  const src = join(root, 'source');
  const dst = join(root, 'empty');
  run([bin, 'init', '--data', src, '--name', 'source']);
  run([bin, 'init', '--data', dst, '--name', 'empty']);
  const store = SqliteFeedStore.open(join(src, DB_FILE), { crypto });
  const runs = signedRuns(crypto, 1, blocks, 500);
  for (let i = 0; i < runs.length; i += 10) store.ingest(runs.slice(i, i + 10), 0);
  store.close();
  const node = await startChild([bin, 'serve', '--data', src, '--port', '0', '--no-discover'], /console: http:\/\/[^:]+:(\d+)/);
  try {
    const watch = startStopwatch();
    const child = spawn(process.execPath, [...childNodeFlags(), bin, 'sync', '--peer', `127.0.0.1:${node.port}`, '--data', dst], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const seconds = watch.elapsedMs() / 1000;
    if (code !== 0) throw new Error(`mandala sync exited ${code}: ${out.slice(-400)}`);
    const copy = SqliteFeedStore.open(join(dst, DB_FILE), { crypto, readonly: true });
    const stored = copy.head(runs[0]!.author)?.seq ?? 0;
    copy.close();
    return { seconds, stored };
  } finally {
    await node.stop();
  }
}

/** Hypercore 11: seconds from connecting to every entry downloaded, and wire bytes both ways. */
async function hypercoreSeconds(entries: Buffer[], root: string): Promise<{ seconds: number; bytes: number; length: number }> {
  const { default: Hypercore } = await import('hypercore');
  const a = new Hypercore(join(root, 'hc-source'));
  await a.ready();
  for (let i = 0; i < entries.length; i += 1000) await a.append(entries.slice(i, i + 1000));
  const b = new Hypercore(join(root, 'hc-empty'), a.key);
  await b.ready();
  let bytes = 0;
  const count = (sock: Socket) => sock.on('data', (d: Buffer) => (bytes += d.length));
  const server: Server = createServer((sock) => {
    count(sock);
    const s = a.replicate(false);
    sock.pipe(s).pipe(sock);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const watch = startStopwatch();
  const sock = connect((server.address() as { port: number }).port, '127.0.0.1');
  count(sock);
  const s = b.replicate(true);
  sock.pipe(s).pipe(sock);
  await b.download({ start: 0, end: entries.length }).done();
  const seconds = watch.elapsedMs() / 1000;
  const length = b.length;
  sock.destroy();
  server.close();
  await b.close();
  await a.close();
  return { seconds, bytes, length };
}

export async function benchReplication(scale: number, log: (s: string) => void): Promise<BenchRow[]> {
  const n = Math.max(10_000, Math.round(100_000 * scale));
  const root = mkdtempSync(join(tmpdir(), 'mandala-bench-replication-'));
  try {
    log(`replication: ${n.toLocaleString('en-US')} events, mandala serve -> mandala sync, and Hypercore 11 core to core`);
    const m = await mandalaSeconds(n, root);
    if (m.stored !== n) throw new Error(`mandala sync stored ${m.stored} of ${n} events`);
    const entries = signedRuns(new NodeCrypto(), 1, n, 500).flatMap((r) => r.events.map((e) => Buffer.from(e.bytes)));
    const avgBytes = entries.reduce((s, e) => s + e.length, 0) / entries.length;
    const h = await hypercoreSeconds(entries, root);
    if (h.length !== n) throw new Error(`Hypercore replicated ${h.length} of ${n} entries`);
    const rate = n / m.seconds;
    const hcRate = n / h.seconds;
    return [
      {
        section: 'replication',
        metric: `events over loopback TCP into an empty node (${n / 1000}k, durable)`,
        value: rate,
        unit: 'ev/s',
        baseline: { label: 'Hypercore 11, same entries', value: hcRate, unit: 'entries/s' },
        ratio: rate / hcRate,
        note: `mandala sync ${m.seconds.toFixed(2)} s wall incl. the CLI's start; Hypercore ${h.seconds.toFixed(2)} s, ${(h.bytes / n).toFixed(0)} wire bytes per entry both ways (entries ${avgBytes.toFixed(0)} B)`,
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
