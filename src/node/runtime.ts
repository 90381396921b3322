// A running node with its transports: the composition the CLI's `serve` and the Electron main
// share. It opens (or creates) the data folder, starts the node (createNode) with the LAN
// transport on one port (shared with the console's HTTP server when there is one), and the demo
// mesh on request.
import type { Server as HttpServer } from 'node:http';
import { Intake, type IntakeOptions } from './intake/intake';
import { MandalaError } from './errors';
import { createIntakeServer, listenHttp } from './intake/intake-server';
import { SerialGps, type SerialGpsOptions } from './gps/serial-gps';
import { RedisDrain } from './intake/redis-drain';
import { DeviceRegistry } from './intake/device-registry';
import { connectRedis } from './intake/redis-stream';
import type { Transport } from '../core/sync/transport';
import { realTime } from './clock/real-scheduler';
import { createNode, portsOf, type MandalaNode } from './create-node';
import { DemoMesh } from './demo/demo-mesh';
import { openNode, type OpenedNode } from './open-node';
import { join } from 'node:path';
import { DB_FILE, SPANS_FILE, readConfig, writeConfig } from './datadir';
import { openSqliteSpans } from './store/sqlite/sqlite-spans';
import { FleetSettingsWatch } from './fleet/settings-watch';
import { Lifecycle } from './tracing/lifecycle';
import { PooledSpans } from './tracing/pooled-spans';
import { IngestHistory } from './health/ingest-history';
import { WorkerPool } from './workers/worker-pool';
import { PeerBook } from './replication/peer-book';
import { WalKeeper } from './store/wal-keeper';
import { LanTransport } from './transports/lan/lan-transport';
import { PortMux } from './transports/lan/port-mux';
import { LanDiscovery } from './transports/lan/discovery';
import { RadioControl, type LoraOptions } from './transports/lora/radio-control';
import type { RadioSetupDto } from '../shared/api';
import { listSerialPorts } from './transports/lora/serial-ports';

export interface RuntimeOptions {
  readonly dir: string;
  readonly version: string;
  readonly create?: boolean;
  readonly name?: string;
  readonly demo?: boolean;
  /** LAN peers (host:port) to keep connected. */
  readonly peers?: readonly string[];
  /** Accept LAN sync on this address (and HTTP too, when `http` is given). */
  readonly listen?: { readonly host: string; readonly port: number };
  /** Builds the HTTP server that shares the listening port (the console), once the node exists. */
  readonly http?: (node: MandalaNode, intake: Intake | null, radio: RadioControl) => HttpServer;
  /** The telemetry intake (signed webhooks); `listen` also serves it alone on another address. */
  readonly intake?: Omit<IntakeOptions, 'devices'> & {
    readonly listen?: { readonly host: string; readonly port: number };
    /** Phones reporting by the OsmAnd protocol on this address (Traccar's convention is port 5055). */
    readonly osmand?: { readonly host: string; readonly port: number };
  };
  /** Also drain positions from a Redis stream that `mandala ingest` processes fill (redis://HOST:PORT). */
  readonly redisBuffer?: string;
  /** A truck kit's serial GPS whose fixes this node records (gps/serial-gps.ts). */
  readonly gps?: Omit<SerialGpsOptions, 'scheduler' | 'problems' | 'append'>;
  /** Also export each position's lifecycle spans over OTLP/HTTP to this collector URL. */
  readonly otlp?: string;
  readonly nativeBinding?: string;
  readonly extraTransports?: readonly Transport[];
  /** Announce this node on the LAN and connect to nodes that announce themselves. */
  readonly discover?: boolean;
  readonly discoveryPort?: number;
  /** A LoRa radio (RNode over serial) to sync over. */
  readonly lora?: LoraOptions;
  /** Paths the radio picker lists besides the serial ports found (a simulator's pseudo-terminal). */
  readonly radioPorts?: readonly string[];
  /** The attached radio changed (attached, detached, came online, had a problem): its setup now. */
  readonly onRadioChanged?: (setup: RadioSetupDto | null) => void;
  readonly onWarning?: (message: string) => void;
}

export type { LoraOptions };

export interface Runtime {
  readonly folder: OpenedNode;
  readonly node: MandalaNode;
  readonly lan: LanTransport;
  /** The radio attached now (given with --lora, or chosen in the console), and the port list. */
  readonly radio: RadioControl;
  readonly boundPort: number | null;
  readonly intake: Intake | null;
  /** The intake-only server's port, when `intake.listen` was given. */
  readonly intakePort: number | null;
  /** The OsmAnd port, when `intake.osmand` was given. */
  readonly osmandPort: number | null;
  readonly devices: DeviceRegistry;
  readonly demo: DemoMesh | null;
  /** The truck kit's serial GPS, when `gps` was given. */
  readonly gps: SerialGps | null;
  stop(): Promise<void>;
}

export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const folder = openNode(opts.dir, { create: opts.create, name: opts.name, nativeBinding: opts.nativeBinding, onWarning: opts.onWarning });
  // A step back of the system clock goes to the operator's terminal and to the console's warnings.
  const clockProblems: string[] = [];
  let nodeForWarnings: MandalaNode | null = null;
  const scheduler = realTime((m) => {
    opts.onWarning?.(m);
    if (nodeForWarnings) nodeForWarnings.problems.warn('clock_stepped_back', m);
    else clockProblems.push(m);
  });
  const lan = new LanTransport({ scheduler, peers: opts.peers, keyPair: folder.identity.handshakeKeyPair() });
  const transports: Transport[] = [lan, ...(opts.extraTransports ?? [])];
  const demo = opts.demo ? new DemoMesh({ baseDir: opts.dir, scheduler, version: opts.version }) : null;
  if (demo) transports.push(demo.localTransport);
  // Worker threads for CPU-heavy work: the background scrub, report folds, verification replays.
  const pool = new WorkerPool({ maxThreads: 1 });
  // Every delivery's path as a trace: the inspector reads them, and --otlp sends them on.
  // The traces file is written from a thread of its own (a burst's traces never stall the loop).
  const spansPath = join(folder.dir, SPANS_FILE);
  const spans = openSqliteSpans(spansPath, { nativeBinding: opts.nativeBinding });
  // A thread for short storage upkeep (the traces file, the write-ahead log), never queued
  // behind a fold in the pool above.
  const upkeepPool = new WorkerPool({ maxThreads: 1 });
  const durable =
    spans.spans
      ? new PooledSpans(spansPath, spans.spans, upkeepPool, { nativeBinding: opts.nativeBinding, onProblem: (m) => nodeForWarnings?.problems.warn('traces_unavailable', m) })
      : undefined;
  const lifecycle = new Lifecycle({ clock: scheduler, otlpUrl: opts.otlp, nodeName: folder.config.name, durable });
  let intakeRef: Intake | null = null;
  let historyRef: IngestHistory | null = null;
  const node = createNode({
    ...portsOf(folder),
    lifecycle,
    drained: () => intakeRef?.buffer.counts.drained ?? 0,
    ingestHistory: () => historyRef?.history() ?? { everyMs: 5000, samples: [] },
    // Read again before writing: a CLI verb may have changed the node's name since it started.
    saveFleetSettings: (settings) => writeConfig(folder.dir, { ...readConfig(folder.dir), fleetSettings: settings }),
    scheduler,
    workers: { pool, dbPath: join(folder.dir, DB_FILE), nativeBinding: opts.nativeBinding },
    transports,
    version: opts.version,
    demo: opts.demo ?? false,
    overlays: demo ? { routes: demo.routes.map((r) => ({ name: r.name, coordinates: r.points.map(([lat, lon]) => [lon, lat] as const) })) } : undefined,
  });
  nodeForWarnings = node;
  const radio = new RadioControl({ host: node.replicator, scheduler, self: folder.identity.author, listPorts: () => listSerialPorts(process.platform, opts.radioPorts), changed: () => {
      node.live.mark('peers');
      opts.onRadioChanged?.(radio.setup());
    },
  });
  const peerBook = new PeerBook(folder.dir, { registry: node.replicator.peers, self: folder.identity.author, scheduler, warn: (code, m) => node.problems.warn(code, m) });
  const wal = new WalKeeper({ store: folder.store, pool: upkeepPool, dbPath: join(folder.dir, DB_FILE), nativeBinding: opts.nativeBinding, scheduler, problems: node.problems });
  for (const m of clockProblems.splice(0)) node.problems.warn('clock_stepped_back', m);
  if (spans.problem) node.problems.warn('traces_unavailable', spans.problem);
  let mux: PortMux | null = null;
  let boundPort: number | null = null;
  let discovery: LanDiscovery | null = null;
  const devices = new DeviceRegistry(folder.dir, () => scheduler.nowMs());
  const intake = opts.intake ? new Intake(node, folder.store.inbox, { ...opts.intake, devices, lifecycle }) : null;
  intakeRef = intake;
  let osmandServer: HttpServer | null = null;
  let osmandPort: number | null = null;
  let intakeServer: HttpServer | null = null;
  let intakePort: number | null = null;
  let redisDrain: RedisDrain | null = null;
  const settingsWatch = new FleetSettingsWatch({ dir: folder.dir, scheduler, problems: node.problems, current: () => node.api.fleetSettings(), apply: (next) => node.api.setFleetSettings(next) });
  const gps = opts.gps ? new SerialGps({ ...opts.gps, scheduler, problems: node.problems, append: (d) => lifecycle.direct('gps', d, node.writer.append(d), { 'mandala.device': opts.gps!.path }) }) : null;
  const history = new IngestHistory(scheduler, {
    bySource: () => intake?.buffer.bySource ?? new Map(),
    shed: () => (intake?.webhooks.statuses[429] ?? 0) + (intake?.osmand?.statuses[429] ?? 0),
    inbox: () => intake?.buffer.waiting() ?? 0,
    drained: () => intake?.buffer.counts.drained ?? 0,
    gpsFixes: () => gps?.counts.fixes ?? 0,
    peerEvents: () => node.replicator.peerRows().reduce((n, r) => n + r.eventsReceived, 0),
    loopP99Ms: () => node.loop.lastMinute().p99Ms,
  });
  historyRef = history;
  try {
    await node.start();
    if (opts.lora) await radio.attach(opts.lora);
    peerBook.start();
    wal.start();
    settingsWatch.start();
    history.start();
    intake?.start();
    gps?.start();
    if (opts.redisBuffer) {
      if (!intake) throw new MandalaError('bad_usage', 'a Redis buffer needs the intake');
      const redis = await connectRedis(opts.redisBuffer);
      redisDrain = new RedisDrain({ redis, url: opts.redisBuffer, consumer: `node-${folder.identity.author.slice(0, 16)}`, buffer: intake.buffer, scheduler, problems: node.problems });
      await redisDrain.start();
      const drain = redisDrain;
      intake.drainsFrom(() => drain.stats());
    }
    if (opts.listen) {
      mux = new PortMux({ host: opts.listen.host, port: opts.listen.port, http: opts.http?.(node, intake, radio), onSync: (s) => lan.accept(s) });
      boundPort = await mux.listen();
    }
    if (intake && opts.intake?.listen) {
      intakeServer = createIntakeServer({ intake, version: opts.version });
      intakePort = await listenHttp(intakeServer, opts.intake.listen.host, opts.intake.listen.port, '--ingest-port');
    }
    const osmandRoutes = intake?.osmandRoutes();
    if (osmandRoutes && opts.intake?.osmand) {
      osmandServer = createIntakeServer({ intake: osmandRoutes, version: opts.version });
      osmandPort = await listenHttp(osmandServer, opts.intake.osmand.host, opts.intake.osmand.port, '--osmand-port');
    }
    if (opts.discover) {
      discovery = new LanDiscovery({
        scheduler,
        self: folder.identity.author,
        name: folder.config.name,
        syncPort: boundPort,
        port: opts.discoveryPort,
        dial: (hostPort) => lan.dialOnce(hostPort),
        connected: (peer, host) => node.replicator.peers.isConnected(peer) || lan.hasLinkTo(host),
        onProblem: (code, message) => node.problems.warn(code, message),
      });
      await discovery.start();
    }
    await demo?.start();
  } catch (e) {
    settingsWatch.stop();
    history.stop();
    osmandServer?.close();
    await redisDrain?.stop();
    gps?.stop();
    intake?.stop();
    intakeServer?.close();
    await mux?.close();
    await radio.stop();
    await node.stop();
    peerBook.stop();
    await demo?.stop();
    wal.stop();
    await wal.settled();
    await pool.close();
    await lifecycle.shutdown().catch(() => {});
    await upkeepPool.close();
    folder.store.close();
    throw e;
  }
  return {
    folder,
    node,
    lan,
    radio,
    boundPort,
    intake,
    intakePort,
    osmandPort,
    devices,
    demo,
    gps,
    async stop() {
      settingsWatch.stop();
      history.stop();
      await redisDrain?.stop();
      gps?.stop();
      await demo?.stop();
      await discovery?.stop();
      for (const server of [intakeServer, osmandServer]) await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await mux?.close();
      intake?.stop();
      await radio.stop();
      await node.stop();
      peerBook.stop();
      wal.stop();
      await wal.settled();
      await pool.close();
      // Spans still waiting for the collector are sent now (a collector that is gone is not waited for).
      await lifecycle.shutdown().catch(() => {});
      await upkeepPool.close();
      folder.store.close();
    },
  };
}
