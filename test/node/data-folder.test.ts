// PROVES: a data folder that cannot be read or written is explained in words that say what to
//         check (never "restore it from a backup" for a permissions problem, never a stack trace),
//         and a write whose signed head cannot be recorded says plainly that the event was stored.
// CATCHES: an operator told to restore a backup when the folder is only not theirs; a write
//          reported as failed that in fact landed (and is then written twice).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mandala } from '../support/cli';

describe('data folders that cannot be used', () => {
  it('an_unreadable_settings_file_is_named_with_what_to_check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mandala-unreadable-'));
    expect(mandala(['init', '--data', dir]).code).toBe(0);
    // The settings file becomes something that cannot be read as a file (as a folder that is not ours would be).
    unlinkSync(join(dir, 'mandala.json'));
    mkdirSync(join(dir, 'mandala.json'));
    const r = mandala(['view', 'records', '--data', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*mandala\.json \(EISDIR\); check that you own the data folder.*\[data_unreadable\]/);
    expect(r.stderr).not.toMatch(/backup| {4}at /);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a_data_path_that_is_a_plain_file_is_named_as_one_and_left_untouched', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mandala-file-')), 'notes.txt');
    writeFileSync(file, 'mine');
    for (const args of [['record', 'create', 'R-1', 'delivery', '--data', file], ['view', 'records', '--data', file]]) {
      const r = mandala(args);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr, args[0]).toMatch(/notes\.txt is a file, not a folder; give --data .* the path of a folder.*\[data_not_a_folder\]/);
      expect(r.stderr, 'not a permissions hint').not.toMatch(/permissions/);
    }
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('a_write_that_cannot_record_its_signed_head_says_it_was_stored_and_what_to_check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mandala-unwritable-'));
    expect(mandala(['init', '--data', dir]).code).toBe(0);
    // Where the record of signed heads is replaced, a folder stands in the way.
    mkdirSync(join(dir, 'own-heads.json.tmp'));
    const r = mandala(['record', 'note', 'R-1', 'hello', '--data', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the events were stored \(up to seq \d+\), but cannot write .*own-heads\.json .*check that you own the data folder.*\[data_unwritable\]/);
    expect(r.stderr).not.toMatch(/ {4}at /);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('a new node without --name', () => {
  it('is_named_after_the_machine_and_its_key_so_two_nodes_differ', () => {
    const infos = [0, 1].map(() => {
      const dir = mkdtempSync(join(tmpdir(), 'mandala-named-'));
      expect(mandala(['init', '--data', dir]).code).toBe(0);
      return JSON.parse(mandala(['info', '--json', '--data', dir]).stdout) as { node: string; name: string };
    });
    const host = hostname().split('.')[0]!.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
    for (const i of infos) expect(i.name).toBe(`${host.slice(0, 24) || 'node'}-${i.node.slice(0, 4)}`);
    expect(infos[0]!.name, 'two nodes on one machine are told apart').not.toBe(infos[1]!.name);
  });
});
