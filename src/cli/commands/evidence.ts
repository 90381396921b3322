// Verbs for audit: `report` makes a signed evidence report of one projection run and stores it as
// an event; `verify-report` checks a report file without trusting its author (hash, signature,
// and with --data a replay of that folder's log to the report's input frontier).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { MonotonicClock } from '../../core/clock/clock';
import { KINDS } from '../../core/events/kinds';
import { NodeDirectory } from '../../core/live/directory';
import { EventFormatError } from '../../core/events/event';
import type { FeedLog } from '../../core/store/feed-log';
import { reportToValue, type SignedReport } from '../../core/evidence/report';
import { parseReportText, verifyReport, type VerifyResult } from '../../core/evidence/verify';
import { isProjectionId } from '../../core/evidence/replay';
import { stableJson } from '../../node/api/dto';
import { SystemClock } from '../../node/clock/system-clock';
import { NodeCrypto } from '../../node/crypto/node-crypto';
import { IDENTITY_FILE, NodeIdentity } from '../../node/crypto/identity';
import { assertMandalaFolder, readConfig } from '../../node/datadir';
import { DEFAULT_SETTINGS } from '../../core/projections/fleet-settings';
import { MandalaError, isMandalaError } from '../../node/errors';
import { EvidenceService, parseRequested, reportSummary } from '../../node/evidence/evidence-service';
import { ReportMaker } from '../../node/evidence/report-maker';
import { LocalWriter, seededHlc } from '../../node/writing/local-writer';
import { openNode, type OpenedNode } from '../../node/open-node';
import { Checkpointer } from '../../node/live/checkpointer';
import { LiveState } from '../../core/live/live-state';
import { action, dataDir, EXIT, note, say, VERSION, withDataOption, type DataOption } from '../context';

const PROJECTIONS = 'records, fleet or conflicts';

/** Display names from node.profile events (report feeds as "<node> (reports)"), without folding anything else. */
export function profileNames(store: Pick<FeedLog, 'readKinds'>): ReadonlyMap<string, string> {
  const directory = new NodeDirectory();
  for (let cursor = 0; ; ) {
    const page = store.readKinds([KINDS.nodeProfile], cursor, 1000);
    if (page.events.length === 0) return directory.names;
    cursor = page.cursor;
    for (const ev of page.events) directory.apply(ev);
  }
}

/** An age as the console words it (1 min, 45 s), with the exact ms the flag takes. */
function describeAge(ms: number | null): string {
  if (ms === null) return 'any age';
  const words = ms >= 3_600_000 ? `${+(ms / 3_600_000).toFixed(1)} h` : ms >= 60_000 ? `${+(ms / 60_000).toFixed(1)} min` : `${+(ms / 1000).toFixed(1)} s`;
  return `${words}, ${ms.toLocaleString('en')} ms`;
}

function describeReport(r: SignedReport, stored: string): string {
  const b = r.body;
  const fresh = b.requested.kind === 'maybe_stale' ? `maybe stale (up to ${describeAge(b.requested.maxStaleMs)})` : 'consistent';
  const lines = [
    `${b.projection} report, body_hash ${r.bodyHash}`,
    `  requested ${fresh}; observed ${b.observed.kind}${b.observed.kind === 'unavailable' ? ` (${b.observed.reason})` : ''}; cache ${b.cache.kind}; replay ${b.replayMode}`,
    `  input: ${b.input.vector.length} feeds, digest ${b.input.digest.slice(0, 16)}…${b.input.hlcHigh ? `, newest ${new Date(b.input.hlcHigh.wall).toISOString()}` : ''}`,
    `  output_hash ${b.outputHash ?? 'none (the run failed)'}`,
    ...b.findings.map((f) => `  finding ${f.code}: ${f.message}`),
    `  signed by ${r.signer}; ${stored}`,
  ];
  return lines.join('\n');
}

function makeReport(projection: string, opts: DataOption & { maxStale?: string; json?: boolean; out?: string }): void {
  if (!isProjectionId(projection)) throw new MandalaError('unknown_projection', `no projection "${projection}"; choose ${PROJECTIONS}`);
  const maxStale = opts.maxStale === undefined ? undefined : Number(opts.maxStale);
  if (maxStale !== undefined && !Number.isFinite(maxStale)) throw new MandalaError('bad_max_stale', `--max-stale "${opts.maxStale}" is not a number of milliseconds`);
  const requested = parseRequested(maxStale);
  const dir = dataDir(opts);
  assertMandalaFolder(dir);
  const clock = new MonotonicClock(new SystemClock());
  const crypto = new NodeCrypto();
  let node: OpenedNode | null = null;
  let openError: unknown = null;
  try {
    node = openNode(dir, { onWarning: note });
  } catch (e) {
    if (!isMandalaError(e) || !e.code.startsWith('store_')) throw e;
    openError = e; // still sign a report that says the run failed
  }
  const identity = node?.identity ?? NodeIdentity.load(join(dir, IDENTITY_FILE), note);
  try {
    const store = node?.store ?? null;
    const settings = readConfig(dir).fleetSettings ?? DEFAULT_SETTINGS;
    const maker = new ReportMaker({ store, crypto, identity, clock, appVersion: VERSION, nodeName: () => readConfig(dir).name, fleetSettings: () => settings });
    const folded: { live: LiveState | null } = { live: null };
    const report = maker.make(projection, requested, () => {
      if (!store) throw openError;
      folded.live = LiveState.open(store, crypto, true, [], settings);
      return folded.live;
    });
    let stored = 'not stored (the event store could not be opened)';
    let storeFailed = false;
    if (node) {
      try {
        stored = storeReport(node, report, clock);
      } catch (e) {
        if (!isMandalaError(e) && !(e instanceof EventFormatError)) throw e;
        stored = `not stored (${e.message})`;
        storeFailed = true;
      }
      // A long fold is worth keeping: the next report, verification or start restores it.
      if (folded.live) new Checkpointer(node.store, crypto, clock, folded.live, { everyEvents: 50_000, minIntervalMs: 0, onStopEvents: 50_000, keep: 2 }).maybeSave(folded.live);
    }
    const json = stableJson(reportToValue(report));
    if (opts.out) writeFileSync(opts.out, json + '\n');
    if (opts.json) say(json);
    else say(describeReport(report, stored + (opts.out ? `; written to ${opts.out}` : '')));
    if (report.body.outputHash === null) {
      note(`mandala: the ${projection} run failed; the signed report above says why [${report.body.observed.kind === 'unavailable' ? report.body.observed.reason : 'run_failed'}]`);
      process.exitCode = EXIT.internal;
    } else if (storeFailed) {
      note(`mandala: the report was made but ${stored}; keep the JSON (--out) to share it [report_not_stored]`);
      process.exitCode = EXIT.partial;
    }
  } finally {
    node?.store.close();
  }
}

/** Appends the report to this node's report feed, declaring that feed in the node's profile first. */
function storeReport(node: OpenedNode, report: SignedReport, clock: MonotonicClock): string {
  const { hlc } = seededHlc(node.store, clock);
  if (node.store.head(node.reportIdentity.author) === null) {
    const main = new LocalWriter({ store: node.store, identity: node.identity, clock, hlc, ownHeads: node.ownHeads ?? undefined });
    main.append([{ kind: KINDS.nodeProfile, payload: { name: node.config.name, reports: node.reportIdentity.author } }]);
  }
  const writer = new LocalWriter({ store: node.store, identity: node.reportIdentity, clock, hlc, ownHeads: node.ownHeads ?? undefined });
  const [r] = writer.append([{ kind: KINDS.reportCreated, payload: reportToValue(report) }]);
  if (!r!.ok) throw new MandalaError(r!.code, `the report was made but not stored: ${r!.message}`);
  return `stored as ${r!.author.slice(0, 8)}#${r!.seq} (this node's report feed)`;
}

function verdictLine(r: VerifyResult): string {
  const head = r.verdict === 'valid' ? 'VALID' : r.verdict === 'invalid' ? `INVALID [${r.code}]` : `CANNOT VERIFY [${r.code}]`;
  return `${head}: ${r.message}`;
}

function verifyFile(file: string, opts: { data?: string; json?: boolean; checkpoint?: boolean }): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MandalaError('report_unreadable', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const crypto = new NodeCrypto();
  const report = parseReportText(text);
  let result: VerifyResult;
  if ('verdict' in report) {
    result = report;
  } else if (opts.data) {
    const node = openNode(opts.data, { readonly: true, onWarning: note });
    try {
      const names = profileNames(node.store);
      result = verifyReport(report, crypto, { store: node.store, nameOf: (a) => names.get(a) ?? a.slice(0, 8), useCheckpoint: opts.checkpoint !== false });
    } finally {
      node.store.close();
    }
  } else {
    result = verifyReport(report, crypto);
  }
  if (opts.json) say(JSON.stringify(result, null, 2));
  else say(verdictLine(result)); // an events_missing verdict names what is missing in its message
  process.exitCode = result.verdict === 'valid' ? EXIT.ok : result.verdict === 'invalid' ? EXIT.internal : EXIT.unreachable;
}

function listReports(opts: DataOption & { json?: boolean; show?: string }): void {
  const node = openNode(dataDir(opts), { readonly: true, onWarning: note });
  try {
    const names = profileNames(node.store);
    const evidence = new EvidenceService({
      store: node.store,
      crypto: node.crypto,
      identity: node.identity,
      clock: new SystemClock(),
      appVersion: VERSION,
      nodeName: () => node.config.name,
      live: () => LiveState.open(node.store, node.crypto, true, [], node.config.fleetSettings),
      fleetSettings: () => node.config.fleetSettings ?? DEFAULT_SETTINGS,
      append: () => {
        throw new MandalaError('read_only', 'listing reports writes nothing');
      },
      feedLabel: "this node's report feed",
      nameOf: (a) => names.get(a) ?? a.slice(0, 8),
    });
    const { reports, malformed } = evidence.list();
    if (opts.show) {
      // The ref as \`mandala reports\` and the console print it (12cd350e#2), or with the whole feed id.
      const m = /^([0-9a-f]{8,64})#(\d+)$/.exec(opts.show);
      if (!m) throw new MandalaError('bad_report_ref', `--show takes a report's ref as \`mandala reports\` prints it (e.g. 12cd350e#2), not "${opts.show}"`);
      const feeds = [...new Set(reports.map((r) => r.author).filter((a) => a.startsWith(m[1]!)))];
      if (feeds.length > 1) throw new MandalaError('bad_report_ref', `${opts.show} names more than one report feed here; give more of its id (${feeds.map((a) => a.slice(0, 12)).join(', ')})`);
      say(stableJson(reportToValue(evidence.get(feeds[0] ?? m[1]!, Number(m[2])).report)));
      return;
    }
    const rows = reports.map((r) => ({ ...reportSummary(r, node.identity.author), signerName: names.get(r.report.signer) ?? null }));
    if (opts.json) say(JSON.stringify(rows, null, 2));
    else if (rows.length === 0) say('no reports yet (make one with `mandala report records`)');
    else {
      for (const r of rows) {
        const who = r.signerName ?? r.signer.slice(0, 8);
        say(`${r.ref.author.slice(0, 8)}#${r.ref.seq}  ${new Date(r.generatedAtMs).toISOString()}  ${r.projection.padEnd(9)} by ${who}${r.local ? ' (this node)' : ''}  observed ${r.observed}, cache ${r.cache}  output ${r.outputHash?.slice(0, 16) ?? 'none'}`);
      }
    }
    if (malformed > 0) note(`note: ${malformed} report events could not be read and were skipped`);
  } finally {
    node.store.close();
  }
}

export function registerEvidenceCommands(program: Command): void {
  withDataOption(program.command('reports').description('list the evidence reports this node holds (its own and replicated ones)'))
    .option('--json', 'JSON output')
    .option('--show <ref>', 'print one report (AUTHOR#SEQ) as its exportable JSON')
    .action(action((opts: DataOption & { json?: boolean; show?: string }) => listReports(opts)));

  withDataOption(program.command('report <projection>').description(`make a signed evidence report of a projection run (${PROJECTIONS}) and store it as an event`))
    .option('--max-stale <ms>', 'allow an output up to this old from the projection cache (MaybeStale); default: Consistent')
    .option('--json', 'print the report as JSON (the exportable file)')
    .option('--out <file>', 'also write the report JSON to a file')
    .action(action((projection: string, opts: DataOption & { maxStale?: string; json?: boolean; out?: string }) => makeReport(projection, opts)));

  program
    .command('verify-report <file>')
    .description('check a report: body hash, signature, and with --data a replay of that folder to its input frontier')
    .option('--data <dir>', "a data folder whose events to replay (re-derives the report's output hash)")
    .option('--json', 'print the result as JSON')
    .option('--no-checkpoint', 'replay from the first event even when a checkpoint would do')
    .action(action((file: string, opts: { data?: string; json?: boolean; checkpoint?: boolean }) => verifyFile(file, opts)));
}
