// PROVES: with real data folders and real `mandala` processes: a kit whose clock runs a day fast
//         (libfaketime) cannot freeze a field: the coordinator's later write that saw it shows on
//         every node, and the fast write is flagged with its author; and two copies of one data
//         folder that each signed a different event at the same seq are caught when the second
//         syncs with a node that holds the first: the fork is kept and quarantined, and the sync
//         ends with the fork named instead of timing out.
// CATCHES: last-writer-wins by wall clock letting one bad RTC overrule everyone for a day; forks
//          of equal length that no node ever records.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, mandala, mandalaAsync, serve, type Served } from '../support/cli';

const root = mkdtempSync(join(tmpdir(), 'mandala-clock-forks-'));
const running: Served[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

const FAKETIME = spawnSync('faketime', ['-f', '+0', 'true']).status === 0;

/** Runs `mandala` with the machine's clock shifted (libfaketime), as a kit with a bad RTC would. */
function shifted(offset: string, args: string[]) {
  const r = spawnSync('faketime', ['-f', offset, process.execPath, BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface RecordsView {
  [id: string]: { fields: Record<string, unknown>; conflicts?: Record<string, unknown> };
}

describe('clocks and forks across real processes', () => {
  it('a_clock_a_day_fast_does_not_freeze_a_field_and_is_flagged', async (ctx) => {
    if (!FAKETIME) {
      console.log('[clock e2e] skipped: libfaketime is not installed (Debian package `faketime`; .ci/run installs it); the same rule is tested in test/core/causal-conflicts.test.ts');
      ctx.skip();
    }
    const A = join(root, 'coordinator');
    const F = join(root, 'fast-kit');
    expect(mandala(['init', '--data', A, '--name', 'coordinator']).code).toBe(0);
    expect(mandala(['init', '--data', F, '--name', 'fast-kit']).code).toBe(0);
    mandala(['record', 'create', 'DL-1', 'delivery', '--data', A]);
    mandala(['record', 'set', 'DL-1', 'status', 'planned', '--data', A]);
    const a = await serve(['--data', A, '--port', '0']);
    running.push(a);
    const peer = `127.0.0.1:${a.port}`;
    expect(shifted('+1d', ['sync', '--peer', peer, '--data', F]).code).toBe(0);
    const fast = shifted('+1d', ['record', 'set', 'DL-1', 'status', 'stuck at the border', '--data', F]);
    expect(fast.code, fast.stderr).toBe(0);
    const kit = /^([0-9a-f]{8})#/.exec(fast.stdout)![1]!;
    expect(shifted('+1d', ['sync', '--peer', peer, '--data', F]).code).toBe(0);

    // The coordinator saw the fast write and overrules it; its own clock did not follow the kit's.
    const fix = mandala(['record', 'set', 'DL-1', 'status', 'delivered', '--data', A]);
    expect(fix.code, fix.stderr).toBe(0);
    expect(fix.stderr).toMatch(/in the future; this clock did not follow it/);
    const viewA = JSON.parse(mandala(['view', 'records', '--json', '--data', A]).stdout) as RecordsView;
    expect(viewA['DL-1']!.fields['status'], 'the write that saw the fast one shows').toBe('delivered');
    expect(viewA['DL-1']!.conflicts, 'nothing is left open').toBeUndefined();
    const conflicts = JSON.parse(mandala(['view', 'conflicts', '--json', '--data', A]).stdout) as { entries: { kind: string; authors: string[] }[] };
    const flagged = conflicts.entries.filter((e) => e.kind === 'clock_ahead');
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.authors[0]!.startsWith(kit), 'the fast clock is named by its author').toBe(true);

    // And the kit, once synced, shows the same.
    expect(shifted('+1d', ['sync', '--peer', peer, '--data', F]).code).toBe(0);
    const viewF = mandala(['view', 'records', '--json', '--data', F]).stdout;
    expect(viewF).toBe(mandala(['view', 'records', '--json', '--data', A]).stdout);
    await a.stop();
  });

  it('two_copies_of_one_folder_forking_at_the_same_seq_are_caught_and_the_sync_says_so', async () => {
    const A = join(root, 'original');
    const copy = join(root, 'copy');
    const B = join(root, 'camp');
    expect(mandala(['init', '--data', A, '--name', 'twin']).code).toBe(0);
    mandala(['record', 'note', 'R-1', 'before the copy', '--data', A]);
    cpSync(A, copy, { recursive: true });
    const x = mandala(['record', 'note', 'R-1', 'written by the original', '--data', A]);
    const y = mandala(['record', 'note', 'R-1', 'written by the copy', '--data', copy]);
    const seq = (out: string) => /#(\d+) /.exec(out)![1];
    expect(seq(x.stdout), 'both signed the same seq').toBe(seq(y.stdout));
    const author = /^([0-9a-f]{8})#/.exec(x.stdout)![1]!;

    const b = await serve(['--data', B, '--port', '0', '--name', 'camp']);
    running.push(b);
    const first = await mandalaAsync(['sync', '--peer', `127.0.0.1:${b.port}`, '--data', A, '--timeout', '60']);
    expect(first.code, first.stderr).toBe(0);
    const second = await mandalaAsync(['sync', '--peer', `127.0.0.1:${b.port}`, '--data', copy, '--timeout', '60']);
    expect(second.code, `${second.stdout}${second.stderr}`).toBe(4);
    expect(second.stdout).toMatch(new RegExp(`found forks: feed ${author} signed two histories`));
    expect(second.stderr).not.toMatch(/no agreement/);

    await b.stop();
    const atB = JSON.parse(mandala(['view', 'conflicts', '--json', '--data', B]).stdout) as { entries: { kind: string; authors: string[] }[] };
    const forks = atB.entries.filter((e) => e.kind === 'fork');
    expect(forks, 'the camp recorded the fork').toHaveLength(1);
    expect(forks[0]!.authors[0]!.startsWith(author)).toBe(true);
  });
});
