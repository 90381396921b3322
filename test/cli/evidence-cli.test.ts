// PROVES: a report made on node A (`mandala report`) verifies with `verify-report --data` on node
//         B, which synced the same events, and fails with the precise reason when its body,
//         hash or signature is tampered with; a node lacking the events says which are missing
//         (exit 3, never "invalid"); the report replicates as an event and is listed on B; a
//         MaybeStale report is served from the projection cache; and a run over a damaged store
//         still yields a signed failed-run report.
// CATCHES: reports that only verify on their author's machine, verifiers that say "invalid" when
//          they mean "cannot check", reports that do not travel.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mandala, mandalaAsync, serve, type Served } from '../support/cli';

const root = mkdtempSync(join(tmpdir(), 'mandala-evidence-'));
const running: Served[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

async function sync(from: string, to: string): Promise<void> {
  const server = await serve(['--data', from, '--port', '0', '--no-discover']);
  running.push(server);
  const r = await mandalaAsync(['sync', '--peer', `127.0.0.1:${server.port}`, '--data', to]);
  expect(r.code, r.stderr).toBe(0);
  await server.stop();
}

// A parsed report file, edited freely by the tampering cases.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ReportFile = Record<string, any>;

function tampered(file: string, name: string, edit: (r: ReportFile) => void): string {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  edit(r);
  const out = join(root, name);
  writeFileSync(out, JSON.stringify(r, null, 2));
  return out;
}

describe('evidence reports from the command line', () => {
  const [a, b, c] = ['north', 'south', 'east'].map((n) => join(root, n)) as [string, string, string];
  const file = join(root, 'north-records.json');

  it('a_report_from_node_a_verifies_on_node_b_and_tampering_fails_precisely', async () => {
    mandala(['init', '--data', a, '--name', 'camp-north']);
    mandala(['init', '--data', b, '--name', 'camp-south']);
    mandala(['record', 'create', 'DL-1', 'delivery', '--data', a]);
    mandala(['record', 'set', 'DL-1', 'status', 'loading', '--data', a]);
    mandala(['position', 'T-1', '-1.2921', '36.8219', '--data', a]);
    const made = mandala(['report', 'records', '--data', a, '--out', file]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/records report, body_hash [0-9a-f]{64}/);
    expect(made.stdout).toMatch(/stored as [0-9a-f]{8}#\d+ \(this node's report feed\)/);

    await sync(a, b);
    // B learns more after the report; the replay still stops at the report's frontier.
    mandala(['record', 'set', 'DL-1', 'status', 'en_route', '--data', b]);
    const ok = mandala(['verify-report', file, '--data', b]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^VALID: signed by .*re-derives output/);

    const cases: [string, (r: ReportFile) => void, string][] = [
      ['body', (r) => (r.body.input_frontier.vector[0][1] = 1), 'body_hash_mismatch'],
      ['hash', (r) => (r.body_hash = 'a'.repeat(64)), 'body_hash_mismatch'],
      ['signature', (r) => (r.signature = r.signature.replace(/^./, (ch: string) => (ch === '0' ? '1' : '0'))), 'signature_invalid'],
      ['format', (r) => delete r.body.output_hash, 'malformed_report'],
    ];
    for (const [name, edit, code] of cases) {
      const bad = mandala(['verify-report', tampered(file, `${name}.json`, edit), '--data', b]);
      expect(bad.code, name).toBe(1);
      expect(bad.stdout, name).toContain(`INVALID [${code}]`);
    }
    const notJson = join(root, 'notes.txt');
    writeFileSync(notJson, 'delivered to camp south, signed J.');
    const text = mandala(['verify-report', notJson]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/INVALID \[malformed_report\]: this file is not JSON .*mandala report --out/);
    const json = JSON.parse(mandala(['verify-report', tampered(file, 'sig2.json', cases[2]![1]), '--json']).stdout);
    expect(json).toMatchObject({ verdict: 'invalid', code: 'signature_invalid', checks: { bodyHash: 'ok', signature: 'failed' } });
  }, 120_000);

  it('a_node_without_the_events_says_which_are_missing_and_never_invalid', () => {
    mandala(['init', '--data', c, '--name', 'camp-east']);
    const r = mandala(['verify-report', file, '--data', c]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^CANNOT VERIFY \[events_missing\]: this data folder lacks 3 events of the report's input: [0-9a-f]{8} seq 1–3/);
    expect(r.stdout).not.toMatch(/INVALID/);
    const json = JSON.parse(mandala(['verify-report', file, '--data', c, '--json']).stdout);
    expect(json.missing).toEqual([{ author: expect.stringMatching(/^[0-9a-f]{64}$/), fromSeq: 1, toSeq: 3 }]);
  });

  it('the_report_replicated_to_b_and_is_listed_there_as_not_its_own', () => {
    const rows = JSON.parse(mandala(['reports', '--json', '--data', b]).stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ projection: 'records', local: false, signerName: 'camp-north', observed: 'fresh' });
    const shown = JSON.parse(mandala(['reports', '--show', `${rows[0].ref.author}#${rows[0].ref.seq}`, '--data', b]).stdout);
    expect(shown).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    // The listing names it as the console does (feed id's first 8 hex digits, #seq), and --show takes that.
    const short = `${rows[0].ref.author.slice(0, 8)}#${rows[0].ref.seq}`;
    expect(mandala(['reports', '--data', b]).stdout.split(/\s+/)[0]).toBe(short);
    expect(JSON.parse(mandala(['reports', '--show', short, '--data', b]).stdout)).toEqual(shown);
  });

  it('a_maybe_stale_report_is_served_from_the_projection_cache', () => {
    const first = JSON.parse(mandala(['report', 'fleet', '--max-stale', '600000', '--json', '--data', a]).stdout);
    expect(first.body.cache_status).toEqual({ kind: 'miss' });
    const second = JSON.parse(mandala(['report', 'fleet', '--max-stale', '600000', '--json', '--data', a]).stdout);
    expect(second.body).toMatchObject({ cache_status: { kind: 'hit' }, replay_mode: 'cache', observed_freshness: { kind: 'fresh' }, output_hash: first.body.output_hash });
    // Events the fleet does not read (a note, the reports themselves) leave the cached output fresh.
    mandala(['record', 'note', 'DL-1', 'checked at the gate', '--data', a]);
    const still = JSON.parse(mandala(['report', 'fleet', '--max-stale', '600000', '--json', '--data', a]).stdout);
    expect(still.body).toMatchObject({ cache_status: { kind: 'hit' }, observed_freshness: { kind: 'fresh' } });
    expect(still.metadata.diagnostics.fold_ms).toBeUndefined(); // served without folding
    mandala(['position', 'T-1', '-1.2925', '36.8225', '--data', a]);
    const stale = JSON.parse(mandala(['report', 'fleet', '--max-stale', '600000', '--json', '--data', a]).stdout);
    expect(stale.body).toMatchObject({ cache_status: { kind: 'hit' }, observed_freshness: { kind: 'stale_allowed' }, output_hash: first.body.output_hash });
    const fresh = JSON.parse(mandala(['report', 'fleet', '--json', '--data', a]).stdout);
    expect(fresh.body).toMatchObject({ cache_status: { kind: 'bypassed' }, observed_freshness: { kind: 'fresh' } });
    expect(fresh.body.output_hash).not.toBe(first.body.output_hash);
  });

  it('a_run_over_a_damaged_store_still_yields_a_signed_failed_run_report', () => {
    const d = join(root, 'damaged');
    mandala(['init', '--data', d, '--name', 'camp-damaged']);
    for (let i = 0; i < 20; i++) mandala(['record', 'note', 'R-1', `note ${i} `.repeat(40), '--data', d]);
    const db = join(d, 'mandala.db');
    const size = statSync(db).size;
    const bytes = readFileSync(db);
    bytes.fill(0xde, 4096, size); // everything after the first page
    writeFileSync(db, bytes);
    const r = mandala(['report', 'records', '--json', '--data', d]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[store_unreadable]');
    const report = JSON.parse(r.stdout);
    expect(report.body).toMatchObject({ output_hash: null, observed_freshness: { kind: 'unavailable', reason: 'store_unreadable' } });
    expect(report.body.findings[0].code).toBe('run_failed');
    const failedFile = join(root, 'failed.json');
    writeFileSync(failedFile, r.stdout);
    const v = mandala(['verify-report', failedFile]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/authentic report of a failed run \(store_unreadable\)/);
  });
});
