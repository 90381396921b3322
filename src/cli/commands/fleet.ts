// Verbs of a fleet: `admit` and `revoke` (on an admin node: signed events that replicate), and
// `info`, what a node is and which fleet it belongs to.
import type { Command } from 'commander';
import { MonotonicClock } from '../../core/clock/clock';
import { Membership } from '../../core/fleet/membership';
import { SystemClock } from '../../node/clock/system-clock';
import { admitDraft, revokeDraft } from '../../node/fleet/fleet-admin';
import { isMandalaError, MandalaError } from '../../node/errors';
import { folderIdentity, openNode, type OpenedNode } from '../../node/open-node';
import { LocalWriter, seededHlc } from '../../node/writing/local-writer';
import type { LocalDraft } from '../../core/store/feed-log';
import { action, dataDir, note, say, withDataOption, type DataOption } from '../context';
import { profileNames } from './evidence';

function membershipOf(node: OpenedNode): Membership | null {
  return node.config.fleet ? Membership.load(node.store, node.config.fleet, node.crypto) : null;
}

function appendOwn(node: OpenedNode, draft: LocalDraft): string {
  const clock = new MonotonicClock(new SystemClock());
  const writer = new LocalWriter({ store: node.store, identity: node.identity, clock, hlc: seededHlc(node.store, clock).hlc, ownHeads: node.ownHeads ?? undefined });
  const [r] = writer.append([draft]);
  if (!r!.ok) throw new MandalaError(r!.code, `refused: ${r!.message}`);
  return `${r!.author.slice(0, 8)}#${r!.seq}`;
}

export function registerFleetCommands(program: Command): void {
  withDataOption(program.command('admit <node-id>').description('admit a node to this fleet (on an admin node); the admission replicates'))
    .option('--admin', 'make it an admin too (it may admit and revoke)')
    .action(
      action((nodeId: string, opts: DataOption & { admin?: boolean }) => {
        const node = openNode(dataDir(opts), { onWarning: note });
        try {
          const m = membershipOf(node);
          const draft = admitDraft(m, node.identity.author, nodeId, opts.admin ? 'admin' : 'member');
          const at = appendOwn(node, draft);
          say(`admitted ${nodeId.slice(0, 8)} as ${opts.admin ? 'an admin' : 'a member'} (${at}); nodes of the fleet accept its feed once this event reaches them`);
          say(`(that node must have been created with \`mandala init --join ${m!.fleetId}\`: an open node is refused whatever its key)`);
        } finally {
          node.store.close();
        }
      }),
    );

  withDataOption(program.command('revoke <node-id>').description('revoke a node from this fleet (on an admin node): its feed is kept up to what this node holds of it, and refused beyond'))
    .action(
      action((nodeId: string, opts: DataOption) => {
        const node = openNode(dataDir(opts), { onWarning: note });
        try {
          const held = node.store.head(nodeId.trim().toLowerCase())?.seq ?? 0;
          const at = appendOwn(node, revokeDraft(membershipOf(node), node.identity.author, nodeId, held));
          say(`revoked ${nodeId.slice(0, 8)} (${at}): its feed is kept up to seq ${held} and refused beyond`);
        } finally {
          node.store.close();
        }
      }),
    );

  withDataOption(program.command('info').description('what this node is: its id, name and fleet'))
    .option('--json', 'JSON output')
    .action(
      action((opts: DataOption & { json?: boolean }) => {
        const dir = dataDir(opts);
        let node: OpenedNode | null = null;
        try {
          node = openNode(dir, { readonly: true, onWarning: note });
        } catch (e) {
          // A node whose store is gone still has an identity and a fleet to name (e.g. for `admit`).
          if (!isMandalaError(e) || e.code !== 'store_missing') throw e;
          note(`warning: ${e.message}`);
        }
        try {
          printInfo(node ?? folderIdentity(dir), node, opts.json === true);
        } finally {
          node?.store.close();
        }
      }),
    );
}

/** `info`'s output; without a store, the fleet's members are not known here. */
function printInfo(who: Pick<OpenedNode, 'config' | 'identity' | 'reportIdentity'>, node: OpenedNode | null, json: boolean): void {
  const m = node ? membershipOf(node) : null;
  const fleetId = who.config.fleet ?? null;
  const self = who.identity.author;
  const state = m?.state(self) ?? null;
  const role = !fleetId ? null : !m ? 'unknown' : state === null ? 'not_admitted' : state.revoked ? 'revoked' : state.role;
  const names = node ? profileNames(node.store) : new Map<string, string>();
  const nodes = (m?.list() ?? []).map(([a, s]) => ({ node: a, name: names.get(a) ?? null, role: s.role, revoked_after_seq: s.revoked?.upto ?? null }));
  const info = {
    node: self,
    name: who.config.name,
    report_feed: who.reportIdentity.author,
    fleet: fleetId ? { id: fleetId, name: m?.name ?? null, role, members: nodes.filter((n) => n.revoked_after_seq === null).length, nodes } : null,
  };
  if (json) return say(JSON.stringify(info, null, 2));
  say(`node ${info.name} ${self}`);
  if (!fleetId) return say('open: any node that can reach this one may sync with it');
  say(`fleet ${m?.name ?? '(its genesis has not reached this node yet)'} ${fleetId}; this node: ${role!.replace('_', ' ')}`);
  for (const n of nodes) say(`  ${n.node.slice(0, 8)} ${n.name ?? ''} ${n.revoked_after_seq !== null ? `revoked after seq ${n.revoked_after_seq}` : n.role}`);
}
