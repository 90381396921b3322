// Verbs of the alerts: `geofence add` (a record of form "geofence"), `alerts` (what fired), and
// `alert ack` (an acknowledgement: an event, so it replicates and every node shows who did it).
import type { Command } from 'commander';
import { KINDS } from '../../core/events/kinds';
import { GEOFENCE_FORM } from '../../core/projections/alerts';
import type { LocalDraft } from '../../core/store/feed-log';
import { foldRecords } from '../../core/live/live-state';
import { stableJson } from '../../node/api/dto';
import { MandalaError } from '../../node/errors';
import { action, say, withDataOption, type DataOption } from '../context';
import { foldStore, writeEvents } from './write';

/** "LAT,LON LAT,LON ..." (at least three vertices) as [lat, lon] pairs. */
export function parseRing(text: string): [number, number][] {
  const ring = text
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [lat, lon] = pair.split(',').map(Number);
      if (lat === undefined || lon === undefined || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
        throw new MandalaError('bad_ring', `"${pair}" is not LAT,LON in decimal degrees (latitude -90..90, longitude -180..180)`);
      }
      return [lat, lon] as [number, number];
    });
  if (ring.length < 3) throw new MandalaError('bad_ring', 'a geofence needs at least three vertices: --ring "LAT,LON LAT,LON LAT,LON"');
  return ring;
}

export function registerAlertCommands(program: Command): void {
  const geofence = program.command('geofence').description('geofences: areas whose boundary crossings raise alerts');
  withDataOption(geofence.command('add <id>').description('create or change a geofence (a record of form "geofence")'))
    .requiredOption('--ring <vertices>', 'its vertices, "LAT,LON LAT,LON LAT,LON ..."')
    .option('--name <name>', 'what the console calls it')
    .option('--max-speed <kmh>', 'an overspeed limit inside it')
    .action(
      action((id: string, opts: DataOption & { ring: string; name?: string; maxSpeed?: string }) => {
        const ring = parseRing(opts.ring);
        const max = opts.maxSpeed === undefined ? null : Number(opts.maxSpeed);
        if (max !== null && (!Number.isFinite(max) || max <= 0)) throw new MandalaError('bad_speed', '--max-speed must be a number of km/h above 0');
        writeEvents(opts, (node) => {
          const records = foldRecords(node.store);
          const drafts: LocalDraft[] = records.isCreated(id) ? [] : [{ kind: KINDS.recordCreate, payload: { record_id: id, form: GEOFENCE_FORM } }];
          drafts.push(records.draftSet(id, 'name', opts.name ?? id), records.draftSet(id, 'ring', ring));
          if (max !== null) drafts.push(records.draftSet(id, 'max_speed_kmh', max));
          return drafts;
        });
      }),
    );

  withDataOption(program.command('alerts').description('the alerts the fleet raised (geofence enter/exit, overspeed, stopped) and who acknowledged them'))
    .option('--json', 'canonical JSON with stable key order')
    .action(
      action((opts: DataOption & { json?: boolean }) => {
        const { node, live } = foldStore(opts);
        try {
          const view = live.projections.alerts.view() as { alerts: { id: string; kind: string; truck: string; at_ms: number; ack: { author: string } | null }[] };
          if (opts.json) return say(stableJson(view));
          if (view.alerts.length === 0) return say('no alerts');
          for (const a of view.alerts) say(`${new Date(a.at_ms).toISOString()}  ${a.kind.padEnd(14)} ${a.truck.padEnd(10)} ${a.ack ? `acknowledged by ${live.directory.nameOf(a.ack.author)}` : 'open'}  ${a.id}`);
        } finally {
          node.store.close();
        }
      }),
    );

  const alert = program.command('alert').description('act on an alert');
  withDataOption(alert.command('ack <alert-id>').description('acknowledge an alert (the acknowledgement replicates)'))
    .option('--note <text>', 'why, or what was done')
    .action(
      action((id: string, opts: DataOption & { note?: string }) => writeEvents(opts, [{ kind: KINDS.alertAck, payload: opts.note ? { alert: id, note: opts.note } : { alert: id } }])),
    );
}
