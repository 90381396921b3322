// createNode: a running Mandala node, composed from the ports it is given (store, crypto,
// identity, scheduler, transports) and parts with one job each:
//   - the problem log (what a person should know about);
//   - the live view (projections folded from the store, console pushes, checkpoints);
//   - the writer (this node's own events and runs from peers: gates, append, forks);
//   - the replicator (sync sessions over every link, relay, the peers table);
//   - evidence (signed reports of projection runs).
// Whatever lands in the store flows one way: writer -> live view (fold) -> replicator (relay).
// It constructs no ports; `mandala serve` and `sync`, Electron main, the demo mesh, the benches
// and the tests all compose their nodes here (their options: node-options.ts).
import { Hlc } from '../core/clock/hlc';
import { every, type Scheduler, type TimerHandle } from '../core/clock/scheduler';
import type { AuthorId } from '../core/events/event';
import { frontierDigestHex } from '../core/feed/frontier';
import type { NodeApi } from './api/node-api';
import { EvidenceService } from './evidence/evidence-service';
import { LiveView } from './live/live-view';
import { JobBoard } from './jobs/job-board';
import { BlobStore } from './attachments/blob-store';
import type { NodeOptions } from './node-options';
import { ProblemLog } from './problems/problem-log';
import { Replicator } from './replication/replicator';
import { DamageRegister } from './repair/damage-register';
import { Scrubber } from './repair/scrubber';
import { LoopMonitor } from './health/loop-monitor';
import { OWN_FEED_REFUSALS } from './writing/local-writer';
import { NodeWriter, type Origin } from './writing/node-writer';
import { FleetAdmissionPolicy } from '../core/fleet/admission-policy';
import { Membership } from '../core/fleet/membership';
import { DEFAULT_SETTINGS, sameSettings, settingsToValue } from '../core/projections/fleet-settings';
import { withFilterDifference } from './fleet/filter-difference';
import { inspect } from './tracing/inspector';
import { peerMatrix } from './replication/peer-matrix';

export type { NodeOptions } from './node-options';
export { portsOf } from './node-options';

export interface MandalaNode {
  readonly self: AuthorId;
  readonly name: string;
  readonly startedAtMs: number;
  /** The node's time and timers. */
  readonly scheduler: Scheduler;
  readonly problems: ProblemLog;
  readonly live: LiveView;
  readonly writer: NodeWriter;
  readonly replicator: Replicator;
  readonly evidence: EvidenceService;
  /** How late the main event loop runs (the last minute). */
  readonly loop: LoopMonitor;
  /** Who belongs to this node's fleet; null for an open node. */
  readonly membership: Membership | null;
  /** What the console API's handlers see. */
  readonly api: NodeApi;
  /** Folds the store, announces this node's name, starts transports and the anti-entropy clock. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createNode(opts: NodeOptions): MandalaNode {
  const { store, crypto, scheduler } = opts;
  const self = opts.identity.author;
  const problems = new ProblemLog(scheduler);
  const loop = new LoopMonitor(scheduler);
  const damage = new DamageRegister();
  const membership = opts.fleetId ? Membership.load(store, opts.fleetId, crypto) : null;
  const workers = opts.workers;
  // The fleet's plausibility filters: set at start, changed by setFleetSettings (a fold from scratch).
  let fleetSettings = opts.fleetSettings ?? DEFAULT_SETTINGS;
  const live = new LiveView({
    store,
    hasher: crypto,
    scheduler,
    problems,
    pushThrottleMs: opts.pushThrottleMs,
    checkpoints: opts.checkpoints,
    extraFolds: membership ? [membership] : [],
    checkpointWorker: workers
      ? (fromScratch) => workers.pool.run('checkpoint', { dbPath: workers.dbPath, nativeBinding: workers.nativeBinding, nowMs: scheduler.nowMs(), fromScratch, fleetSettings: settingsToValue(fleetSettings) })
      : undefined,
    fleetSettings: () => fleetSettings,
  });
  problems.events.on('changed', () => live.mark('node'));
  const jobs = new JobBoard({ nowMs: () => scheduler.nowMs(), changed: () => live.mark('node') });

  // This node's profile, once its own feed may be written (after a recovery, if one is needed).
  let profileOwed = true;
  const announce = (): void => {
    const filters = settingsToValue(fleetSettings);
    const defaults = settingsToValue(DEFAULT_SETTINGS);
    const changed = Object.fromEntries(Object.entries(filters).filter(([k, v]) => defaults[k] !== v));
    const refused = writer.announceProfile(opts.name, live.state.directory, filters, changed);
    // Retried once the feed is recovered; a forked (quarantined) feed never will be.
    profileOwed = refused !== null && refused.code !== 'own_feed_quarantined';
    if (refused) problems.warn(refused.code, refused.message);
    else for (const code of OWN_FEED_REFUSALS) problems.clear(code);
  };
  // What lands in the store is folded, then relayed to every peer but the one it came from.
  const landed = (from: Origin, batchable = false): void => {
    if (live.catchUp().events === 0) return;
    writer.absorbForkReports(live.state.takeForkReports());
    replicator.relay(from, batchable);
    if (profileOwed && from !== null && !opts.ownHeads?.behind(self, store.head(self))) announce();
  };
  const writer = new NodeWriter({
    store,
    crypto,
    identity: opts.identity,
    reportIdentity: opts.reportIdentity,
    clock: scheduler,
    hlc: new Hlc(scheduler, opts.maxDriftMs),
    gates: opts.gates,
    ownHeads: opts.ownHeads,
    admission: membership ? new FleetAdmissionPolicy(membership) : undefined,
    damage,
    repaired: (count) => {
      void jobs.run('rebuild', 'folding every event again after a repair', () => live.rebuild()).then(
        () => problems.warn('events_repaired', `${count} damaged events were put back from peers' copies; the projections were folded again from the first event`),
        (e: unknown) => problems.internalError('folding again after a repair', e),
      );
    },
    problems,
    nameOf: (a) => live.nameOf(a),
    landed,
  });
  const replicator = new Replicator({
    self,
    name: opts.name,
    log: store,
    hasher: crypto,
    scheduler,
    transports: opts.transports ?? [],
    problems,
    ingest: (runs, from) => {
      const lifecycle = opts.lifecycle;
      if (!lifecycle) return writer.ingest(runs, from);
      const startMs = scheduler.nowMs();
      let storedMs = startMs;
      const outcome = writer.ingest(runs, from, () => (storedMs = scheduler.nowMs()));
      const peer = from.peerInfo()?.node;
      lifecycle.fromPeer(peer ? live.nameOf(peer) : from.link.label, runs, outcome, startMs, storedMs);
      return outcome;
    },
    peersChanged: () => live.mark('peers'),
    gossipEveryMs: opts.gossipEveryMs,
    sessionFor: opts.sessionFor,
    radioFreshnessMs: opts.radioFreshnessMs,
    codecFor: opts.codecFor,
    radioCodec: opts.radioCodec,
    membership,
    profileName: (a) => live.profileName(a),
    budget: opts.linkBudget,
    damage,
  });
  const scrubber = opts.workers
    ? new Scrubber({ ...opts.workers, scheduler, problems, register: damage, onDamage: () => replicator.relay(null) })
    : null;
  const evidence = new EvidenceService({
    store,
    crypto,
    identity: opts.identity,
    clock: scheduler,
    appVersion: opts.version ?? 'dev',
    nodeName: () => opts.name,
    // Fold whatever another process (a CLI verb) wrote first, so a report covers all held.
    live: () => {
      landed(null);
      return live.state;
    },
    append: (drafts) => writer.appendReport(drafts),
    feedLabel: writer.separateReportFeed ? "this node's report feed" : "this node's feed",
    nameOf: (a) => live.nameOf(a),
    fleetSettings: () => live.state.projections.fleet.settings,
    workers: opts.workers,
  });
  const startedAtMs = scheduler.nowMs();
  const blobs = new BlobStore(store, crypto);
  const peerHolds = (author: AuthorId, seq: number) => replicator.holders(author, seq).map((h) => ({ ...h, name: live.nameOf(h.node) }));
  const api: NodeApi = {
    self,
    name: opts.name,
    startedAtMs,
    demo: opts.demo ?? false,
    overlays: opts.overlays ?? { routes: [] },
    nowMs: () => scheduler.nowMs(),
    log: store,
    frontierDigest: () => frontierDigestHex(store.frontier(), crypto),
    pendingCount: () => store.pendingCount(),
    quarantined: () => store.quarantined(),
    attestationsOf: (a) => store.attestationsOf(a),
    get projections() {
      return live.state.projections;
    },
    get names() {
      return live.state.names;
    },
    nameOf: (a) => live.nameOf(a),
    membership,
    heldSeq: (a) => store.head(a)?.seq ?? 0,
    peerRows: () => replicator.peerRows().map((row) => withFilterDifference(row, fleetSettings, live.state.directory.filtersOf(row.node), scheduler.nowMs())),
    peerMatrix: () =>
      peerMatrix([self, ...(opts.reportIdentity ? [opts.reportIdentity.author] : [])], store.frontier(), replicator.peers.frontiers(self), {
        nameOf: (a) => live.state.names.get(a) ?? null,
        reportFeedOf: (n) => live.state.directory.reportFeedOf(n),
      }),
    peerHolds,
    warnings: () => problems.list(),
    loopDelay: () => loop.lastMinute(),
    jobs,
    onPush: (listener) => live.events.on('push', listener),
    append: (drafts) => writer.append(drafts),
    check: (drafts) => writer.check(drafts),
    blobs,
    appendSide: writer.separateReportFeed ? (drafts) => writer.appendReport(drafts) : null,
    evidence,
    ingestHistory: () => opts.ingestHistory?.() ?? { everyMs: 5000, samples: [] },
    inspect: (query) =>
      opts.lifecycle
        ? inspect(query, { lifecycle: opts.lifecycle, fleet: live.state.projections.fleet, drained: opts.drained ?? (() => 0), peerHolds, nameOf: (a) => live.nameOf(a) })
        : [],
    fleetSettings: () => fleetSettings,
    setFleetSettings: async (next) => {
      if (sameSettings(next, fleetSettings)) return;
      fleetSettings = next;
      opts.saveFleetSettings?.(next);
      await jobs.run('rebuild', 'judging every fix again under the new fleet filters', () => live.rebuild());
      // Peers learn the new filters from this node's profile, so they can say when theirs differ.
      announce();
    },
  };

  const timers: TimerHandle[] = [];
  let stopped = false;
  const repeat = (ms: number, what: string, fn: () => void) => timers.push(every(scheduler, ms, fn, (e) => problems.internalError(what, e)));
  return {
    self,
    name: opts.name,
    startedAtMs,
    scheduler,
    problems,
    live,
    writer,
    replicator,
    evidence,
    loop,
    membership,
    api,
    async start() {
      live.catchUp();
      const highest = store.highestHlc();
      if (highest) writer.observe(highest, 'the newest event in the store');
      announce();
      await replicator.start();
      // Another process (a CLI verb) may have written to our data folder.
      repeat(opts.pollExternalMs ?? 1000, 'events written by another process', () => {
        if (live.changedElsewhere()) landed(null);
      });
      repeat(1000, 'the peers table', () => live.mark('peers'));
      const lifecycle = opts.lifecycle;
      if (lifecycle)
        repeat(1000, 'the lifecycle traces', () => {
          lifecycle.checkRelays(peerHolds);
          lifecycle.persist();
        });
      // The header's loop figures stay current on an idle node too.
      repeat(10_000, 'the loop figures', () => live.mark('node'));
      loop.start();
      scrubber?.start();
      timers.push(evidence.warmUp(scheduler, (e) => problems.internalError('preparing report digests', e)));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // A report being made (in slices) or verified (in a worker) is finished and stored before the store goes.
      await evidence.settled();
      await live.stop();
      loop.stop();
      scrubber?.stop();
      for (const t of timers) t.cancel();
      await replicator.stop();
    },
  };
}
