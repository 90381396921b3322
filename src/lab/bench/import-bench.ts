// meshlogd import: lines of a prototype data file checked (Python-exact id rule), reassembled
// into feeds and stored as attested Mandala events, per second. Baseline: JSON.parse of the same
// lines, the floor of any JSONL reader, measured in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonotonicClock } from '../../core/clock/clock';
import { toHex, utf8Encode } from '../../core/encoding/bytes';
import { PyDict, PyInt, pyDumpsSorted, type PyValue } from '../../core/import/py-json';
import { NodeCrypto } from '../../node/crypto/node-crypto';
import { startStopwatch, SystemClock } from '../../node/clock/system-clock';
import { MeshlogImporter } from '../../node/import/meshlog-import';
import { LocalWriter, seededHlc } from '../../node/writing/local-writer';
import { SqliteFeedStore } from '../../node/store/sqlite/sqlite-store';
import type { BenchRow } from './report';
import { benchIdentity } from './fixtures';

function dict(entries: [string, PyValue][]): PyDict {
  const d = new PyDict();
  for (const [k, v] of entries) d.entries.set(k, v);
  return d;
}

/** A meshlogd file: `authors` feeds interleaved, record edits and notes, ids by meshlogd's rule. */
function meshlogLines(crypto: NodeCrypto, count: number, authors: number): string[] {
  const prev = new Map<string, string>();
  const seqs = new Map<string, number>();
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = `node-${i % authors}`;
    const seq = (seqs.get(a) ?? 0) + 1;
    seqs.set(a, seq);
    const note = i % 3 === 0;
    const kind = note ? 'note.add' : 'field.set';
    const p: [string, PyValue][] = note ? [['record_id', `R-${i % 500}`], ['text', `note ${i}`]] : [['record_id', `R-${i % 500}`], ['field', 'status'], ['value', new PyInt(BigInt(i))]];
    const hlc = [new PyInt(BigInt(1_700_000_000_000 + i)), new PyInt(0n)];
    const body = dict([['author', a], ['seq', new PyInt(BigInt(seq))], ['hlc', hlc], ['kind', kind], ['payload', dict(p)], ['prev', prev.get(a) ?? '']]);
    const id = toHex(crypto.sha256(utf8Encode(pyDumpsSorted(body)))).slice(0, 32);
    prev.set(a, id);
    const payload = Object.fromEntries(p.map(([k, v]) => [k, v instanceof PyInt ? Number(v.value) : v]));
    lines.push(JSON.stringify({ a, s: seq, h: [1_700_000_000_000 + i, 0], k: kind, p: payload, v: body.entries.get('prev'), i: id }).replace(/,"/g, ', "').replace(/":/g, '": '));
  }
  return lines;
}

export function benchImport(scale: number, log: (s: string) => void): BenchRow[] {
  const crypto = new NodeCrypto();
  const count = Math.max(1000, Math.round(100_000 * scale));
  const dir = mkdtempSync(join(tmpdir(), 'mandala-bench-import-'));
  try {
    log(`import: writing a meshlogd file of ${count.toLocaleString('en-US')} lines`);
    const lines = meshlogLines(crypto, count, 20);
    const file = join(dir, 'data.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    let watch = startStopwatch();
    let keys = 0;
    for (const l of lines) keys += Object.keys(JSON.parse(l) as object).length;
    const parseMs = watch.elapsedMs();

    const store = SqliteFeedStore.open(join(dir, 'mandala.db'), { crypto });
    const clock = new MonotonicClock(new SystemClock());
    const identity = benchIdentity('importer');
    const writer = new LocalWriter({ store, identity, clock, hlc: seededHlc(store, clock).hlc });
    watch = startStopwatch();
    const report = new MeshlogImporter({ store, crypto, identity, clock, append: (d) => writer.append(d) }).importFile(file);
    const importMs = watch.elapsedMs();
    store.close();
    if (report.imported !== count || report.problems.length > 0 || keys !== count * 7) throw new Error(`import bench: imported ${report.imported} of ${count}, ${report.problems.length} problems`);
    const rate = count / (importMs / 1000);
    const parseRate = count / (parseMs / 1000);
    return [
      {
        section: 'import',
        metric: `meshlogd lines imported (id checked, chained, stored), ${count.toLocaleString('en-US')} lines`,
        value: rate,
        unit: 'lines/s',
        baseline: { label: 'JSON.parse of the same lines', value: parseRate, unit: 'lines/s' },
        ratio: rate / parseRate,
        note: `${(importMs / 1000).toFixed(1)} s; 20 feeds, signed by the importer every 64 events`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
