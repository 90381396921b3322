// `mandala sync --peer HOST:PORT`: one two-way anti-entropy exchange with a serving node. Exits 0
// once both sides hold each other's events (their frontier digests match), 3 when the peer cannot
// be reached or the exchange times out, 4 when the peer refused some feeds (e.g. a forked one).
import type { Command } from 'commander';
import { realTime } from '../../node/clock/real-scheduler';
import { startStopwatch } from '../../node/clock/system-clock';
import { createNode, portsOf } from '../../node/create-node';
import { MandalaError } from '../../node/errors';
import { openNode } from '../../node/open-node';
import { LanTransport } from '../../node/transports/lan/lan-transport';
import { action, dataDir, EXIT, note, say, VERSION, withDataOption, type DataOption } from '../context';

const QUIET_MS = 2000;

export function registerSync(program: Command): void {
  withDataOption(program.command('sync').description('sync once, both ways, with a serving node'))
    .requiredOption('--peer <host:port>', 'the serving node to sync with')
    .option('--timeout <seconds>', 'give up after this long', '120')
    .action(
      action(async (opts: DataOption & { peer: string; timeout: string }) => {
        const folder = openNode(dataDir(opts), { create: true, onWarning: note });
        const scheduler = realTime();
        const node = createNode({ ...portsOf(folder), scheduler, version: VERSION, gossipEveryMs: 1000 });
        const lan = new LanTransport({ scheduler, dialTimeoutMs: 8000 });
        try {
          await node.start();
          const link = await lan.dial(opts.peer);
          const conn = node.replicator.attach(link);
          const watch = startStopwatch();
          const limitMs = Number(opts.timeout) * 1000;
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
            if (link.closed) throw new MandalaError('peer_unreachable', `the connection to ${opts.peer} closed before the sync finished`);
            if (s.peer && s.inSync && !s.wantsToSend) break;
            if (s.peer && s.refused.size > 0 && !s.wantsToSend && watch.elapsedMs() - lastActivity > QUIET_MS) {
              const feeds = [...s.refused.entries()].map(([a, r]) => `${a.slice(0, 8)} (${r.code})`).join(', ');
              say(`partly synced with ${s.peer.name}: the peer refused feeds ${feeds}`);
              process.exitCode = EXIT.partial;
              return;
            }
            if (watch.elapsedMs() > limitMs) throw new MandalaError('sync_timeout', `no agreement with ${opts.peer} after ${opts.timeout} s; try again, or raise --timeout for a slow link`);
          }
          const s = conn.session;
          say(`in sync with ${s.peer!.name} (${s.peer!.node.slice(0, 8)}): sent ${s.stats.eventsSent} events, received ${s.stats.eventsReceived}; both hold ${folder.store.eventCount()} events in ${folder.store.frontier().size} feeds`);
        } finally {
          await node.stop();
          await lan.stop();
          folder.store.close();
        }
      }),
    );
}
