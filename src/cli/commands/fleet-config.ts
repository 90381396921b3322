// `mandala fleet-config`: the fleet's plausibility filters on this node (the `fleet` section of
// its settings): show them, set some, or go back to the defaults. A running node on the same
// data folder picks a change up within seconds and judges every truck again under it.
import type { Command } from 'commander';
import type { Value, ValueMap } from '../../core/encoding/canonical';
import { DEFAULT_SETTINGS, FleetSettingsError, SETTING_HELP, SETTING_KEYS, settingsFromValue, settingsToValue, type FleetSettings } from '../../core/projections/fleet-settings';
import { assertMandalaFolder, readConfig, writeConfig } from '../../node/datadir';
import { MandalaError } from '../../node/errors';
import { action, dataDir, say, withDataOption, type DataOption } from '../context';

/** KEY=VALUE: a number, true or false, or null (also "off") to turn a filter off. */
export function parseAssignment(text: string): [string, Value] {
  const eq = text.indexOf('=');
  if (eq < 1) throw new MandalaError('bad_setting', `--set takes KEY=VALUE (for example max_speed_kmh=120), not "${text}"`);
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim().toLowerCase();
  if (raw === 'null' || raw === 'off') return [key, null];
  if (raw === 'true' || raw === 'on') return [key, true];
  if (raw === 'false') return [key, false];
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n)) throw new MandalaError('bad_setting', `${key}: "${text.slice(eq + 1)}" is not a number, true, false or null`);
  return [key, n];
}

function describe(s: FleetSettings, changed: readonly string[]): string {
  const v = settingsToValue(s);
  const width = Math.max(...SETTING_KEYS.map((k) => k.length));
  const rows = SETTING_KEYS.map((k) => `  ${changed.includes(k) ? '*' : ' '} ${k.padEnd(width)}  ${String(v[k]).padEnd(10)}  ${SETTING_HELP[k] ?? ''}`);
  return rows.join('\n');
}

export function registerFleetConfig(program: Command): void {
  withDataOption(program.command('fleet-config').description("show or change the fleet's plausibility filters (the reason codes a fix is flagged with)"))
    .option('--set <key=value>', 'set one filter (repeatable); null or off turns a filter off', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--reset', 'go back to the defaults')
    .option('--json', 'JSON output')
    .action(
      action((opts: DataOption & { set: string[]; reset?: boolean; json?: boolean }) => {
        const dir = dataDir(opts);
        assertMandalaFolder(dir);
        const config = readConfig(dir);
        const before = config.fleetSettings ?? DEFAULT_SETTINGS;
        let after = opts.reset ? DEFAULT_SETTINGS : before;
        if (opts.set.length > 0) {
          const given: ValueMap = Object.fromEntries(opts.set.map(parseAssignment));
          try {
            after = settingsFromValue(given, after);
          } catch (e) {
            if (e instanceof FleetSettingsError) throw new MandalaError('bad_setting', e.message);
            throw e;
          }
        }
        const a = settingsToValue(before);
        const b = settingsToValue(after);
        const changed = SETTING_KEYS.filter((k) => a[k] !== b[k]);
        if (opts.reset || opts.set.length > 0) writeConfig(dir, { ...config, fleetSettings: after });
        if (opts.json) {
          say(JSON.stringify({ settings: b, changed }, null, 2));
          return;
        }
        say(`fleet filters of ${config.name}${changed.length ? ` (* changed: ${changed.join(', ')})` : ''}:`);
        say(describe(after, changed));
        if (changed.length) say('a running node on this data folder judges every truck again under them within seconds; reports name the filters they were made with');
      }),
    );
}
