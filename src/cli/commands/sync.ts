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
import { LanTransport } from '../../node/transports/lan/lan-transport';
import { action, dataDir, EXIT, note, say, VERSION, withDataOption, type DataOption } from '../context';

const QUIET_MS = 2000;

interface Exchange {
  readonly peerName: string;
  readonly peerNode: string;
  readonly sent: number;
  readonly received: number;
  readonly inSync: boolean;
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
      const shutOut = refused?.code === 'not_admitted' || refused?.code === 'revoked';
      if (link.closed || shutOut) {
        if (refused && shutOut) {
          throw new MandalaError(refused.code, `${s.peer?.name ?? peer} refused this node: it is ${refused.code === 'revoked' ? 'revoked from' : 'not admitted to'} its fleet. An admin of the fleet can run \`mandala admit ${folder.identity.author}\``);
        }
        throw new MandalaError('peer_unreachable', `the connection to ${peer} closed before the sync finished`);
      }
      const done = s.peer && !s.wantsToSend && (s.inSync || (s.refused.size > 0 && watch.elapsedMs() - lastActivity > QUIET_MS));
      if (done) {
        return {
          peerName: s.peer!.name,
          peerNode: s.peer!.node,
          sent: s.stats.eventsSent,
          received: s.stats.eventsReceived,
          inSync: s.inSync,
          refused: [...s.refused.entries()].map(([a, r]) => `${a.slice(0, 8)} (${r.code})`),
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
          say(`in sync with ${x.peerName} (${x.peerNode.slice(0, 8)}): sent ${x.sent} events, received ${x.received}; both hold ${folder.store.eventCount()} events in ${folder.store.frontier().size} feeds`);
        } finally {
          folder.store.close();
        }
      }),
    );

  withDataOption(program.command('recover').description("take back this node's own events from a peer after its database lost them, before it writes again"))
    .requiredOption('--peer <host:port>', 'a serving node that holds this node\'s events')
    .option('--timeout <seconds>', 'give up after this long', '120')
    .action(
      action(async (opts: DataOption & { peer: string; timeout: string }) => {
        const folder = openNode(dataDir(opts), { onWarning: note });
        try {
          const own = [folder.identity.author, folder.reportIdentity.author];
          const x = await exchange(folder, opts.peer, opts.timeout);
          const heads = folder.ownHeads!;
          const behind = own.map((a) => heads.behind(a, folder.store.head(a))).find((b) => b !== null && b.code === 'own_feed_behind');
          if (behind) {
            say(`still behind after syncing with ${x.peerName}: ${behind.message}`);
            process.exitCode = EXIT.partial;
            return;
          }
          // What the peers hold of this node's feeds is its history now (for a node whose record was lost too).
          heads.settle(Object.fromEntries(own.flatMap((a) => (folder.store.head(a) ? [[a, folder.store.head(a)!]] : []))));
          const seq = folder.store.head(folder.identity.author)?.seq ?? 0;
          say(`recovered from ${x.peerName}: this node's feed is whole (seq ${seq}); it may write again`);
        } finally {
          folder.store.close();
        }
      }),
    );
}
