// What a live sync connection (one peer's link, or a radio's neighbourhood) needs from the node:
// time, a way to hand over the runs it received, and somewhere to say what happened to a peer.
import type { Scheduler } from '../../core/clock/scheduler';
import type { IncomingRun } from '../../core/feed/ingest';
import type { BatchOutcome } from '../../core/store/feed-log';
import type { PeerView } from './peer-view';

export interface LinkHost {
  readonly scheduler: Scheduler;
  /** Stores runs a peer sent; the outcome says what landed and what was refused. */
  ingest(runs: IncomingRun[], from: PeerView): BatchOutcome;
  /** A peer said hello, changed state, or went away. */
  peerChanged(view: PeerView): void;
  problem(view: PeerView, code: string, message: string): void;
  closed(view: PeerView): void;
}
