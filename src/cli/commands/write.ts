// Verbs that author events: init, record create|set|note, position (record attach: attach.ts).
import type { Command } from 'commander';
import { degreesToE6 } from '../../core/geo/geo';
import { KINDS } from '../../core/events/kinds';
import type { LocalDraft } from '../../core/store/feed-log';
import { SystemClock } from '../../node/clock/system-clock';
import { MonotonicClock, type Clock } from '../../core/clock/clock';
import { initDataFolder, SPANS_FILE, writeConfig } from '../../node/datadir';
import { openSqliteSpans } from '../../node/store/sqlite/sqlite-spans';
import { Lifecycle } from '../../node/tracing/lifecycle';
import type { AppendResultDto } from '../../shared/api';
import { join } from 'node:path';
import { checkFleetId, foundFleet } from '../../node/fleet/fleet-admin';
import { MandalaError } from '../../node/errors';
import { LocalWriter, seededHlc } from '../../node/writing/local-writer';
import { openNode } from '../../node/open-node';
import { foldRecords, LiveState } from '../../core/live/live-state';
import { coerceTypedValue } from '../../core/util/coerce';
import { registerAttachCommand } from './attach';

/** Faster than any truck: a typo, refused rather than stored and flagged later. */
const MAX_SPEED_KMH = 400;
import { action, dataDir, note, say, withDataOption, type DataOption } from '../context';

/** Appends to the node's side feed (reports, attachments' bytes; it stays off the radio), on the same clock. */
export type SideAppend = (drafts: readonly LocalDraft[]) => AppendResultDto[];

export function writeEvents(opts: DataOption, drafts: LocalDraft[] | ((node: ReturnType<typeof openNode>, side: SideAppend) => LocalDraft[])): void {
  const dir = dataDir(opts);
  const node = openNode(dir, { create: true, onWarning: note });
  try {
    if (node.created) note(`created a new Mandala node in ${dir}`);
    const clock = new MonotonicClock(new SystemClock());
    const { hlc, aheadByMs } = seededHlc(node.store, clock);
    if (aheadByMs) note(`warning: the store holds an event stamped ${Math.round(aheadByMs / 1000)} s in the future; this clock did not follow it`);
    const writer = new LocalWriter({ store: node.store, identity: node.identity, clock, hlc, ownHeads: node.ownHeads ?? undefined });
    if (node.store.head(node.identity.author) === null) writer.ensureProfile(node.config.name, null);
    const startMs = clock.nowMs();
    const side: SideAppend = (d) => new LocalWriter({ store: node.store, identity: node.reportIdentity, clock, hlc, ownHeads: node.ownHeads ?? undefined }).append(d);
    const list = typeof drafts === 'function' ? drafts(node, side) : drafts;
    const results = writer.append(list);
    traceWrite(dir, node.config.name, clock, list, results, startMs);
    for (const r of results) {
      if (!r.ok) throw new MandalaError(r.code, `refused: ${r.message}`);
      say(`${r.author.slice(0, 8)}#${r.seq} ${r.id}`);
    }
  } finally {
    node.store.close();
  }
}

/** A position written by a verb is traced like any other (the running node's inspector finds it). */
function traceWrite(dir: string, nodeName: string, clock: Clock, drafts: readonly LocalDraft[], results: readonly AppendResultDto[], startMs: number): void {
  if (!drafts.some((d) => d.kind === KINDS.truckPosition)) return;
  const { spans, problem } = openSqliteSpans(join(dir, SPANS_FILE));
  if (!spans) return note(`warning: ${problem}`); // the events are written; only their trace is not
  try {
    new Lifecycle({ clock, nodeName, durable: spans, resume: false }).direct('cli', drafts, results, { 'mandala.command': 'position' }, startMs);
  } finally {
    spans.close();
  }
}

export function registerWriteCommands(program: Command): void {
  withDataOption(program.command('init').description('create a node (identity key, event store) in a data folder'))
    .option('--name <name>', 'a name other nodes will show for this one')
    .option('--fleet <name>', 'found a fleet: only nodes its admins admit may write (this node is its first admin)')
    .option('--join <fleet-id>', 'create a node of an existing fleet (an admin then admits it)')
    .action(action((opts: DataOption & { name?: string; fleet?: string; join?: string }) => initNode(dataDir(opts), opts)));

  const record = program.command('record').description('create and edit shared records');
  withDataOption(record.command('create <rid> <form>').description('create a record of a form')).action(
    action((rid: string, form: string, opts: DataOption) =>
      writeEvents(opts, (node) => {
        // A second create would quietly change the record's form: refused, nothing written.
        const existing = foldRecords(node.store).formOf(rid);
        if (existing !== null) throw new MandalaError('record_exists', `record ${rid} already exists (form ${String(existing)}); nothing was written. Set its fields with: mandala record set ${rid} FIELD VALUE`);
        return [{ kind: KINDS.recordCreate, payload: { record_id: rid, form } }];
      }),
    ),
  );
  withDataOption(record.command('set <rid> <field> <value>').description('set a field (true/false and numbers are coerced unless --string)'))
    .option('--string', 'keep the value as text (e.g. a plate number "007" or the word "true")')
    .action(
      // The write names the field's heads this node has seen, so concurrent edits show as conflicts.
      action((rid: string, field: string, value: string, opts: DataOption & { string?: boolean }) =>
        writeEvents(opts, (node) => {
          const records = foldRecords(node.store);
          if (!records.isCreated(rid)) note(`warning: no record "${rid}" has been created here yet; the field is kept and shows once a record.create for it arrives (create it with: mandala record create ${rid} FORM)`);
          return [records.draftSet(rid, field, opts.string ? value : coerceTypedValue(value))];
        }),
      ),
    );
  withDataOption(record.command('note <rid> <text>').description('add a note to a record')).action(
    action((rid: string, text: string, opts: DataOption) => writeEvents(opts, [{ kind: KINDS.noteAdd, payload: { record_id: rid, text } }])),
  );

  registerAttachCommand(record);

  withDataOption(program.command('position <truck> <lat> <lon>').description('record a truck position fix'))
    .option('--speed <kmh>', 'speed in km/h')
    .option('--heading <deg>', 'heading in degrees')
    .option('--time <iso8601>', 'fix time (default: now)')
    .allowUnknownOption(false)
    .action(
      action((truck: string, lat: string, lon: string, opts: DataOption & { speed?: string; heading?: string; time?: string }) => {
        const la = Number(lat);
        const lo = Number(lon);
        if (!Number.isFinite(la) || !Number.isFinite(lo)) throw new MandalaError('bad_position', `"${lat} ${lon}" is not a latitude and longitude in decimal degrees`);
        if (Math.abs(la) > 90 || Math.abs(lo) > 180) {
          throw new MandalaError('bad_position', `"${lat} ${lon}" is out of range: latitude is -90..90 and longitude -180..180 (decimal degrees, latitude first); nothing was written`);
        }
        const fixMs = opts.time === undefined ? new SystemClock().nowMs() : Date.parse(opts.time);
        if (!Number.isFinite(fixMs)) throw new MandalaError('bad_time', `--time "${opts.time}" is not an ISO 8601 time (e.g. 2026-11-22T10:15:00Z)`);
        const payload: Record<string, number | string> = { truck, fix_ms: fixMs, lat_e6: degreesToE6(la), lon_e6: degreesToE6(lo) };
        if (opts.speed !== undefined) {
          const v = Number(opts.speed);
          if (!Number.isFinite(v) || v < 0 || v > MAX_SPEED_KMH) throw new MandalaError('bad_speed', `--speed "${opts.speed}" must be a number of km/h from 0 to ${MAX_SPEED_KMH}; nothing was written`);
          payload['speed_kmh'] = Math.round(v);
        }
        if (opts.heading !== undefined) {
          const v = Number(opts.heading);
          // Out of range is a typo, not a direction to wrap (400 is not 40): refused, nothing written.
          if (!Number.isFinite(v) || v < 0 || v > 360) throw new MandalaError('bad_heading', `--heading "${opts.heading}" must be a number of degrees from 0 to 360 (clockwise from north); nothing was written`);
          payload['heading_deg'] = Math.round(v) % 360;
        }
        writeEvents(opts, [{ kind: KINDS.truckPosition, payload }]);
      }),
    );
}

function initNode(dir: string, opts: DataOption & { name?: string; fleet?: string; join?: string }): void {
  if (opts.fleet && opts.join) throw new MandalaError('bad_usage', 'give --fleet (found a fleet) or --join (join one), not both');
  const joining = opts.join ? checkFleetId(opts.join) : undefined;
  const { created, config } = initDataFolder(dir, opts.name, joining);
  if (!created && (opts.fleet || opts.join)) {
    throw new MandalaError('already_a_node', `${dir} is already a node (${config.fleet ? `of fleet ${config.fleet.slice(0, 8)}` : 'open'}); a node founds or joins a fleet when it is created: use a new folder`);
  }
  const node = openNode(dir, { onWarning: note });
  try {
    say(`${created ? 'created' : 'already a Mandala node:'} ${dir}`);
    say(`node ${config.name} ${node.identity.author}`);
    if (opts.fleet) {
      const { fleetId, genesis } = foundFleet(node.identity.author, opts.fleet);
      const clock = new MonotonicClock(new SystemClock());
      const writer = new LocalWriter({ store: node.store, identity: node.identity, clock, hlc: seededHlc(node.store, clock).hlc, ownHeads: node.ownHeads ?? undefined });
      const [r] = writer.append([genesis, { kind: KINDS.nodeProfile, payload: { name: config.name } }]);
      if (!r?.ok) throw new MandalaError(r?.code ?? 'internal_error', `the fleet could not be founded: ${r?.message ?? 'nothing was written'}`);
      writeConfig(dir, { ...config, fleet: fleetId });
      say(`fleet ${opts.fleet} ${fleetId}`);
      const here = opts.data ? ` --data ${opts.data}` : '';
      say(`this node is its first admin. Create each other node with \`mandala init --join ${fleetId} --data FOLDER\`, then admit it here with \`mandala admit NODE_ID${here}\``);
    } else if (joining) {
      say(`joining fleet ${joining}: ask an admin of the fleet to run \`mandala admit ${node.identity.author}\`, then sync with a node of the fleet`);
    } else if (created) {
      say('this node is open: any node that can reach it may sync with it (create it with --fleet or --join to admit only your fleet)');
    }
  } finally {
    node.store.close();
  }
}

/** Folds a node's whole store into live projections (for read verbs). */
export function foldStore(opts: DataOption) {
  const node = openNode(dataDir(opts), { readonly: true, onWarning: note });
  const live = LiveState.open(node.store, node.crypto, true, [], node.config.fleetSettings);
  if (live.checkpointProblem) note(`note: ${live.checkpointProblem.message}`);
  return { node, live };
}
