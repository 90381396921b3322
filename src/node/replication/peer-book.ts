// The peer book: the peers a node has heard from, kept in DATA/peers.json so they stay in the
// peers view across restarts (a laptop that synced once with `mandala sync` is still listed, not
// connected, with when it was last heard). Written when it changed, every so often and at stop,
// whole or not at all. A damaged file is set aside with a warning; the node starts without it.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { every } from '../../core/clock/scheduler';
import type { PeerRegistry, RememberedPeer } from './peer-registry';

export const PEERS_FILE = 'peers.json';
const SAVE_EVERY_MS = 30_000;

function isPeer(x: unknown): x is RememberedPeer {
  const p = x as Record<string, unknown> | null;
  return (
    typeof p?.['node'] === 'string' &&
    /^[0-9a-f]{64}$/.test(p['node']) &&
    typeof p['name'] === 'string' &&
    typeof p['lastHeardMs'] === 'number' &&
    typeof p['eventsSent'] === 'number' &&
    typeof p['eventsReceived'] === 'number' &&
    (p['bytesSent'] === undefined || typeof p['bytesSent'] === 'number') &&
    (p['bytesReceived'] === undefined || typeof p['bytesReceived'] === 'number')
  );
}

export class PeerBook {
  private readonly path: string;
  private timer: TimerHandle | null = null;
  private saved = '';

  constructor(
    dir: string,
    private readonly opts: { readonly registry: PeerRegistry; readonly self: string; readonly scheduler: Scheduler; readonly warn: (code: string, message: string) => void },
  ) {
    this.path = join(dir, PEERS_FILE);
  }

  /** Lists the remembered peers, then keeps the file up to date. */
  start(): void {
    this.opts.registry.remember(this.load());
    this.saved = this.text();
    this.timer = every(this.opts.scheduler, SAVE_EVERY_MS, () => this.save());
  }

  stop(): void {
    // Never started (the node failed to start): the file is left as it was.
    if (!this.timer) return;
    this.timer.cancel();
    this.timer = null;
    this.save();
  }

  private load(): RememberedPeer[] {
    if (!existsSync(this.path)) return [];
    try {
      const shape = JSON.parse(readFileSync(this.path, 'utf8')) as { peers?: unknown };
      if (!Array.isArray(shape.peers)) throw new Error('it holds no list of peers');
      return shape.peers.filter(isPeer);
    } catch (e) {
      const aside = `${this.path}.damaged`;
      renameSync(this.path, aside);
      this.opts.warn('peer_book_damaged', `${PEERS_FILE} could not be read (${(e as Error).message}); it was moved to ${aside} and the peers view starts empty (peers reappear as they are heard)`);
      return [];
    }
  }

  private text(): string {
    return JSON.stringify({ peers: this.opts.registry.memory(this.opts.self) }, null, 2) + '\n';
  }

  private save(): void {
    const text = this.text();
    if (text === this.saved) return;
    try {
      const tmp = `${this.path}.tmp`;
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, this.path);
      this.saved = text;
    } catch (e) {
      this.opts.warn('peer_book_unwritable', `${PEERS_FILE} could not be written (${(e as Error).message}); the peers view forgets peers it no longer hears after a restart`);
    }
  }
}
