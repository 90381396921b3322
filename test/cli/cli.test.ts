// PROVES: the `mandala` verbs keep their contract: init, record create|set|note with value
//         coercion, position, view --json (stable key order), frontier --json; and bad input
//         (foreign or corrupt data folders, unknown projections, bad positions) ends with a
//         sentence and a non-zero exit, touching nothing.
// CATCHES: a verb that changes its output shape, writes into a folder it does not own, or
//          prints a stack trace at a user.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mandala } from '../support/cli';
import { defaultDataDir } from '../../src/node/datadir';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'mandala-cli-'));
}

describe('mandala CLI', () => {
  it('help_lists_the_verbs', () => {
    const r = mandala(['--help']);
    expect(r.code).toBe(0);
    for (const verb of ['init', 'record', 'position', 'view', 'frontier', 'serve', 'sync']) expect(r.stdout).toContain(verb);
  });

  it('init_creates_an_owner_only_identity_and_is_idempotent', () => {
    const dir = join(tmp(), 'node');
    const r = mandala(['init', '--data', dir, '--name', 'camp-a']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/node camp-a [0-9a-f]{64}/);
    expect(statSync(join(dir, 'identity.pem')).mode & 0o777).toBe(0o600);
    const again = mandala(['init', '--data', dir]);
    expect(again.stdout).toContain('already a Mandala node');
    expect(again.stdout.match(/[0-9a-f]{64}/)![0]).toBe(r.stdout.match(/[0-9a-f]{64}/)![0]);
  });

  it('record_verbs_coerce_values_and_view_prints_stable_json', () => {
    const dir = join(tmp(), 'node');
    const run = (...a: string[]) => {
      const r = mandala([...a, '--data', dir]);
      expect(r.code, r.stderr).toBe(0);
      return r;
    };
    run('record', 'create', 'R-100', 'site_assessment');
    run('record', 'set', 'R-100', 'open', 'true');
    run('record', 'set', 'R-100', 'trucks', '42');
    run('record', 'set', 'R-100', 'depth', '3.5');
    run('record', 'set', 'R-100', 'status', 'OPENED');
    run('record', 'note', 'R-100', 'road washed out');
    expect(run('record', 'set', 'R-100', 'plate', '007', '--string').stderr, 'a created record sets quietly').not.toMatch(/warning/);
    const early = run('record', 'set', 'R-404', 'open', 'false');
    expect(early.stderr, 'a field of a record not created yet is kept, with a warning').toMatch(/no record "R-404" has been created here yet.*mandala record create R-404/);
    const view = JSON.parse(run('view', 'records', '--json').stdout);
    expect(view['R-100'].fields).toEqual({ depth: 3.5, open: true, plate: '007', status: 'OPENED', trucks: 42 });
    expect(view['R-100'].notes).toEqual(['road washed out']);
    expect(Object.keys(view['R-100'])).toEqual(['attachments', 'created_by', 'fields', 'form', 'notes', 'record_id']);
    const frontier = JSON.parse(run('frontier', '--json').stdout);
    expect(Object.values(frontier)).toEqual([9]); // profile + 8 writes
    // Creating it again would quietly change its form: refused, nothing written.
    const again = mandala(['record', 'create', 'R-100', 'delivery', '--data', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/record R-100 already exists \(form site_assessment\); nothing was written.*\[record_exists\]/);
    expect(JSON.parse(run('frontier', '--json').stdout)).toEqual(frontier);
    expect(JSON.parse(run('view', 'records', '--json').stdout)['R-100'].form).toBe('site_assessment');
  });

  it('position_records_a_fix_at_the_given_time', () => {
    const dir = join(tmp(), 'node');
    expect(mandala(['position', 'T-07', '-1.2921', '36.8219', '--speed', '62', '--heading', '41', '--time', '2026-11-22T10:00:00Z', '--data', dir]).code).toBe(0);
    const fleet = JSON.parse(mandala(['view', 'fleet', '--json', '--data', dir]).stdout);
    expect(fleet.trucks['T-07'].current).toMatchObject({ lat: -1.2921, lon: 36.8219, speed_kmh: 62, heading_deg: 41, fix_ms: Date.parse('2026-11-22T10:00:00Z') });
    const bad = mandala(['position', 'T-07', 'north', '36', '--data', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a latitude and longitude/);
    for (const [lat, lon] of [['91', '36'], ['-1.29', '181'], ['36.8', '-190']] as const) {
      const far = mandala(['position', 'T-07', lat, lon, '--data', dir]);
      expect(far.code, `${lat} ${lon}`).toBe(2);
      expect(far.stderr).toMatch(/out of range: latitude is -90..90 and longitude -180..180.*nothing was written \[bad_position\]/);
    }
    for (const [flag, value, code] of [['--heading', '400', 'bad_heading'], ['--heading', '-5', 'bad_heading'], ['--speed', '999', 'bad_speed'], ['--speed', '-1', 'bad_speed']] as const) {
      const typo = mandala(['position', 'T-07', '-1.29', '36.82', flag, value, '--data', dir]);
      expect(typo.code, `${flag} ${value}`).toBe(2);
      expect(typo.stderr).toMatch(new RegExp(`${flag} "${value}" must be .*nothing was written \\[${code}\\]`));
    }
    expect(Object.values(JSON.parse(mandala(['frontier', '--json', '--data', dir]).stdout)), 'profile + the one fix: the refused ones wrote nothing').toEqual([2]);
  });

  it('a_foreign_folder_is_refused_and_left_untouched', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'thesis.txt'), 'mine');
    const r = mandala(['record', 'create', 'R-1', 'x', '--data', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a Mandala data folder.*\[data_foreign\]/);
    expect(readFileSync(join(dir, 'thesis.txt'), 'utf8')).toBe('mine');
  });

  it('a_corrupt_database_is_reported_not_overwritten', () => {
    const dir = join(tmp(), 'node');
    mandala(['record', 'create', 'R-1', 'x', '--data', dir]);
    writeFileSync(join(dir, 'mandala.db'), 'garbage that used to be a database');
    const r = mandala(['view', 'records', '--json', '--data', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a SQLite database.*\[store_corrupt\]/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(readFileSync(join(dir, 'mandala.db'), 'utf8')).toBe('garbage that used to be a database');
  });

  it('an_unknown_projection_is_named_with_the_choices', () => {
    const dir = join(tmp(), 'node');
    mandala(['init', '--data', dir]);
    const r = mandala(['view', 'weather', '--json', '--data', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no projection "weather"; choose one of records, fleet, conflicts/);
  });

  it('a_radio_setting_out_of_range_is_refused_with_what_is_allowed', () => {
    const dir = join(tmp(), 'node');
    for (const [flag, value, words] of [
      ['--freshness', '-5', /--freshness -5 must be a number of seconds from 0 \(send each position at once\) to 3600/],
      ['--duty-cycle', '0', /--duty-cycle 0 must be a percentage above 0 and at most 100/],
    ] as const) {
      const r = mandala(['serve', '--data', dir, '--port', '0', '--lora', '/dev/null', flag, value]);
      expect(r.code, `${flag} ${value}`).toBe(2);
      expect(r.stderr).toMatch(words);
    }
  });

  it('mandala_data_overrides_the_default_folder', () => {
    const dir = join(tmp(), 'env-node');
    expect(mandala(['record', 'create', 'R-9', 'x'], { MANDALA_DATA: dir }).code).toBe(0);
    expect(JSON.parse(mandala(['view', 'records', '--json'], { MANDALA_DATA: dir }).stdout)['R-9']).toBeDefined();
  });

  it('an_empty_or_relative_xdg_data_home_falls_back_to_the_home_folder', () => {
    const home = join(homedir(), '.local', 'share', 'mandala');
    expect(defaultDataDir({ XDG_DATA_HOME: '' }, 'linux')).toBe(home);
    expect(defaultDataDir({ XDG_DATA_HOME: 'data' }, 'linux')).toBe(home);
    expect(defaultDataDir({ XDG_DATA_HOME: '/srv/share' }, 'linux')).toBe(join('/srv/share', 'mandala'));
    expect(defaultDataDir({ MANDALA_DATA: '', XDG_DATA_HOME: '/srv/share' }, 'linux'), 'an empty MANDALA_DATA is unset').toBe(join('/srv/share', 'mandala'));
  });

  it('usage_errors_exit_2_and_help_and_version_exit_0', () => {
    for (const args of [['position', 'T-1'], ['view', 'fleet', '--nonsense'], ['no-such-verb']]) {
      const r = mandala(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/error: .*\n.*mandala --help|error: /);
    }
    expect(mandala(['--version']).code).toBe(0);
    expect(mandala(['position', '--help']).code).toBe(0);
  });
});
