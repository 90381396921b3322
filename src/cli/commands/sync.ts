// `mandala sync --peer HOST:PORT`: one two-way anti-entropy exchange with a serving node. Exits 0
// once both sides hold each other's events (their frontier digests match), 3 when the peer cannot
// be reached or the exchange times out, 4 when the peer refused some feeds (e.g. a forked one).
// `mandala recover --peer HOST:PORT` is the same exchange for a node whose database lost events
// it had signed: it takes them back from the peer before this node writes anything again.
import type { Command } from 'commander';
import { realTime } from '../../node/clock/real-scheduler';
import { startStopwatch } from '../../node/clock/system-clock';
import { createNode, portsOf } from '../../node/create-node';
import { MandalaError } from '../../node/errors';
import { openNode, type OpenedNode } from '../../node/open-node';
import { NODE_REFUSALS, refusedUsMessage } from '../../node/replication/peer-problems';
import { LanTransport } from '../../node/transports/lan/lan-transport';
import { action, dataDir, EXIT, note, say, VERSION, withDataOption, type DataOption } from '../context';

const QUIET_MS = 2000;


function events(n: number): string {
  return `${n} event${n === 1 ? '' : 's'}`;
}

interface ClosedContext {
  readonly peer: string;
  readonly name: string | undefined;
  readonly node: string | undefined;
  readonly self: string;
  readonly fleet: string | null;
  readonly peerFleet: string | null;
}

/** Why the exchange ended early, in words: the peer refused us, we refused it, or the link dropped. */
function whyClosed(reason: string | null, refusedUs: string | null, c: ClosedContext): MandalaError {
  const who = c.name ? `${c.name} (${c.peer})` : c.peer;
  if (refusedUs) return new MandalaError(refusedUs, refusedUsMessage(refusedUs, who, c.self, c.fleet));
  switch (reason) {
    case 'self_connection':
      return new MandalaError('self_connection', `the node at ${c.peer} has this node's own identity: it is this node, or a copy of its data folder; sync with another node`);
    case 'not_in_fleet':
      return new MandalaError(
        'peer_not_in_fleet',
        `refused ${who}: ${c.peerFleet === null ? 'it is an open node (created with plain `mandala init`)' : `it belongs to another fleet (${c.peerFleet.slice(0, 8)})`}, and this node belongs to fleet ${c.fleet?.slice(0, 8) ?? '?'}; a fleet's data stays among its nodes`,
      );
    case 'not_admitted':
    case 'revoked':
      return new MandalaError('peer_not_admitted', `refused ${who}: node ${c.node?.slice(0, 8) ?? '?'} is ${reason === 'revoked' ? 'revoked from' : 'not admitted to'} this fleet${reason === 'revoked' ? '' : ` (an admin can run \`mandala admit ${c.node ?? 'NODE_ID'}\`)`}`);
    case 'identity_mismatch':
      return new MandalaError('identity_mismatch', `refused ${who}: it proved one key in the handshake and claimed another node id in its hello`);
    case 'over_budget':
      return new MandalaError('over_budget', `closed the connection to ${who}: it sent more unusable data than a link may cost (see the warning above)`);
    default:
      return new MandalaError('peer_unreachable', `the connection to ${c.peer} closed before the sync finished (${reason ?? 'closed'})`);
  }
}

interface Exchange {
  readonly peerName: string;
  readonly peerNode: string;
  /** Events sent because the peer lacked them. */
  readonly sent: number;
  /** Events this node did not hold before. */
  readonly received: number;
  readonly inSync: boolean;
  readonly feeds: number;
  /** Feeds the peer refused, as "author8 (code)". */
  readonly refused: string[];
  /** Feeds found forked during the exchange (quarantined now), as "author8". */
  readonly forked: string[];
}

/** Syncs with one serving node until both hold the same events (or only refusals remain). */
async function exchange(folder: OpenedNode, peer: string, timeoutS: string): Promise<Exchange> {
  const scheduler = realTime();
  const node = createNode({ ...portsOf(folder), scheduler, version: VERSION, gossipEveryMs: 1000 });
  const lan = new LanTransport({ scheduler, dialTimeoutMs: 8000, keyPair: folder.identity.handshakeKeyPair() });
  try {
    await node.start();
    const quarantinedBefore = new Set(folder.store.quarantined());
    const countBefore = folder.store.eventCount();
    const link = await lan.dial(peer);
    const conn = node.replicator.attach(link);
    const watch = startStopwatch();
    const limitMs = Number(timeoutS) * 1000;
    let lastActivity = 0;
    let lastCount = -1;
    for (;;) {
      await new Promise((r) => setTimeout(r, 25));
      const s = conn.session;
      const activity = s.stats.eventsReceived + s.stats.eventsSent + s.stats.refusalsReceived;
      if (activity !== lastCount) {
        lastCount = activity;
        lastActivity = watch.elapsedMs();
      }
      const refused = s.refused.get(folder.identity.author);
      const shutOut = refused !== undefined && NODE_REFUSALS.has(refused.code);
      if (link.closed || shutOut) throw whyClosed(conn.closeReason, shutOut ? refused.code : null, { peer, name: s.peer?.name, node: s.peer?.node, self: folder.identity.author, fleet: folder.config.fleet ?? null, peerFleet: s.peer?.fleet ?? null });
      const done = s.peer && !s.wantsToSend && (s.inSync || (s.refused.size > 0 && watch.elapsedMs() - lastActivity > QUIET_MS));
      if (done) {
        return {
          peerName: s.peer!.name,
          peerNode: s.peer!.node,
          sent: s.stats.eventsSent,
          received: folder.store.eventCount() - countBefore,
          inSync: s.inSync,
          refused: [...s.refused.entries()].map(([a, r]) => `${a.slice(0, 8)} (${r.code})`),
          feeds: folder.store.frontier().size,
          forked: folder.store.quarantined().filter((a) => !quarantinedBefore.has(a)).map((a) => a.slice(0, 8)),
        };
      }
      if (watch.elapsedMs() > limitMs) throw new MandalaError('sync_timeout', `no agreement with ${peer} after ${timeoutS} s; try again, or raise --timeout for a slow link`);
    }
  } finally {
    await node.stop();
    await lan.stop();
  }
}

export function registerSync(program: Command): void {
  withDataOption(program.command('sync').description('sync once, both ways, with a serving node'))
    .requiredOption('--peer <host:port>', 'the serving node to sync with')
    .option('--timeout <seconds>', 'give up after this long', '120')
    .action(
      action(async (opts: DataOption & { peer: string; timeout: string }) => {
        const folder = openNode(dataDir(opts), { create: true, onWarning: note });
        try {
          const x = await exchange(folder, opts.peer, opts.timeout);
          if (x.forked.length > 0) {
            say(`synced with ${x.peerName}, and found forks: feed ${x.forked.join(', ')} signed two histories; kept as evidence and quarantined (see \`mandala view conflicts\`)`);
            process.exitCode = EXIT.partial;
            return;
          }
          if (!x.inSync) {
            say(`partly synced with ${x.peerName}: the peer refused feeds ${x.refused.join(', ')}`);
            process.exitCode = EXIT.partial;
            return;
          }
          say(`in sync with ${x.peerName} (${x.peerNode.slice(0, 8)}): sent ${events(x.sent)} it lacked, received ${x.received} new; both hold ${events(folder.store.eventCount())} in ${x.feeds} feed${x.feeds === 1 ? '' : 's'}`);
        } finally {
          folder.store.close();
        }
      }),
    );

  withDataOption(program.command('recover').description("take back this node's own events from a peer after its database lost them, before it writes again"))
    .option('--peer <host:port>', "a serving node that holds this node's events")
    .option('--accept-loss', 'no peer holds them: write on from what the database holds (peers that kept any lost event will see a fork)')
    .option('--timeout <seconds>', 'give up after this long', '120')
    .action(
      action(async (opts: DataOption & { peer?: string; acceptLoss?: boolean; timeout: string }) => {
        if (!opts.peer && !opts.acceptLoss) throw new MandalaError('usage', 'say where to recover from: `--peer HOST:PORT` (a node that holds this node\'s events), or `--accept-loss` when no node does');
        const folder = openNode(dataDir(opts), { onWarning: note });
        try {
          const own = [folder.identity.author, folder.reportIdentity.author];
          const heads = folder.ownHeads!;
          const behindNow = () => own.map((a) => heads.behind(a, folder.store.head(a))).find((b) => b !== null) ?? null;
          const held = () => Object.fromEntries(own.flatMap((a) => (folder.store.head(a) ? [[a, folder.store.head(a)!]] : [])));
          const seq = () => folder.store.head(folder.identity.author)?.seq ?? 0;
          if (!opts.peer) {
            const lost = behindNow();
            if (!lost) return say(`nothing to recover: this node's feed is whole (seq ${seq()})`);
            const gone = own.reduce((n, a) => n + Math.max(0, heads.signed(a) - (folder.store.head(a)?.seq ?? 0)), 0);
            heads.settle(held(), { acceptLoss: true });
            note(`warning: ${gone > 0 ? `${gone} events this node signed are given up for good` : 'this node\'s history is taken to be what its database holds'}. If any node still holds one of them, this node's next write forks its feed and the fleet quarantines it; starting afresh (\`mandala init\` in an empty folder, a new identity) avoids that`);
            return say(`accepted the loss: this node writes on from seq ${seq()}`);
          }
          const wasBehind = behindNow() !== null;
          const before = seq();
          const x = await exchange(folder, opts.peer, opts.timeout);
          const behind = behindNow();
          if (behind?.code === 'own_feed_behind') {
            say(`still behind after syncing with ${x.peerName}: ${behind.message}`);
            process.exitCode = EXIT.partial;
            return;
          }
          // What the peers hold of this node's feeds is its history now (for a node whose record was lost too).
          heads.settle(held());
          if (!wasBehind) return say(`nothing to recover: this node's feed was already whole (seq ${seq()}); synced with ${x.peerName} all the same`);
          say(`recovered from ${x.peerName}: this node's feed is whole (seq ${seq()}, ${events(seq() - before)} taken back); it may write again`);
        } finally {
          folder.store.close();
        }
      }),
    );
}
