// Verbs that read: view records|fleet, frontier. `--json` output has stable key order, so nodes
// holding the same events print byte-identical text.
import type { Command } from 'commander';
import { frontierToSeqs } from '../../core/feed/frontier';
import { stableJson } from '../../node/api/dto';
import { MandalaError } from '../../node/errors';
import { action, say, withDataOption, type DataOption } from '../context';
import { foldStore } from './write';

const VIEWS = ['records', 'fleet', 'conflicts', 'alerts'] as const;

export function registerReadCommands(program: Command): void {
  withDataOption(program.command('view <projection>').description(`print a projection's state (${VIEWS.join(', ')})`))
    .option('--json', 'canonical JSON with stable key order')
    .action(
      action((projection: string, opts: DataOption & { json?: boolean }) => {
        if (!VIEWS.includes(projection as (typeof VIEWS)[number])) {
          throw new MandalaError('unknown_projection', `no projection "${projection}"; choose one of ${VIEWS.join(', ')}`);
        }
        const { node, live } = foldStore(opts);
        try {
          const p = live.projections[projection as (typeof VIEWS)[number]];
          if (opts.json) say(stableJson(p.view()));
          else if (projection === 'alerts') say(`${(p.view() as { alerts: unknown[] }).alerts.length} alerts; \`mandala alerts\` lists them`);
          else say(projection === 'records' ? describeRecords(p.view()) : projection === 'fleet' ? describeFleet(p.view()) : describeConflicts(p.view()));
        } finally {
          node.store.close();
        }
      }),
    );

  withDataOption(program.command('frontier').description('what this node holds: {author: seq}'))
    .option('--json', 'JSON output')
    .action(
      action((opts: DataOption & { json?: boolean }) => {
        const { node } = foldStore(opts);
        try {
          const seqs = frontierToSeqs(node.store.frontier());
          if (opts.json) say(JSON.stringify(seqs, null, 2));
          else for (const [a, s] of Object.entries(seqs)) say(`${a}  ${s}`);
        } finally {
          node.store.close();
        }
      }),
    );
}

function describeRecords(view: unknown): string {
  const records = view as Record<string, { form: string; fields: Record<string, unknown>; notes: string[] }>;
  const ids = Object.keys(records);
  if (ids.length === 0) return 'no records yet';
  return ids
    .map((id) => {
      const r = records[id]!;
      const fields = Object.entries(r.fields).map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`);
      return [`${id} (${r.form})`, ...fields, ...r.notes.map((n) => `  note: ${n}`)].join('\n');
    })
    .join('\n');
}

/**
 * An open conflict shows the value in force and the ones it won over; a settled one, the value
 * the settling write chose (its `winner` is only who won before the settle, maybe not the value now).
 */
function describeConcurrent(status: string | null, detail: Record<string, unknown>): string {
  const value = (w: unknown) => JSON.stringify((w as { value: unknown }).value);
  const rivals = [detail['winner'], ...(detail['losers'] as unknown[])].map(value);
  if (status === 'settled') return `settled: ${value(detail['settled_by'])} (the concurrent writes were ${rivals.join(' and ')})`;
  return `${status}: ${rivals[0]} won over ${rivals.slice(1).join(', ')}`;
}

function describeConflicts(view: unknown): string {
  const entries = (view as { entries: { kind: string; at_ms: number; status: string | null; record: string | null; field: string | null; truck: string | null; detail: Record<string, unknown> }[] }).entries;
  if (entries.length === 0) return 'no conflicts';
  return entries
    .map((e) => {
      const where = e.record ? `${e.record}.${e.field}` : (e.truck ?? '');
      const what = e.kind === 'concurrent_write' ? describeConcurrent(e.status, e.detail) : JSON.stringify(e.detail);
      return `${new Date(e.at_ms).toISOString()}  ${e.kind.padEnd(16)} ${where.padEnd(20)} ${what}`;
    })
    .join('\n');
}

function describeFleet(view: unknown): string {
  const trucks = (view as { trucks: Record<string, { current: { lat: number; lon: number; fix_ms: number } | null; fixes: unknown[] }> }).trucks;
  const ids = Object.keys(trucks);
  if (ids.length === 0) return 'no truck positions yet';
  return ids
    .map((id) => {
      const t = trucks[id]!;
      const where = t.current ? `${t.current.lat.toFixed(5)}, ${t.current.lon.toFixed(5)} at ${new Date(t.current.fix_ms).toISOString()}` : 'no plausible fix';
      return `${id}: ${where} (${t.fixes.length} fixes)`;
    })
    .join('\n');
}
