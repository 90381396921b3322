// `mandala serve`: run the node headless, accept LAN sync, and serve the console to a browser,
// all on one port.
import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleHosts, exposureLines, interfaceAddresses, isLoopback, isWildcard } from '../../node/api/console-hosts';
import { ConsoleServer } from '../../node/api/console-server';
import { createHandlers } from '../../node/api/handlers';
import { MandalaError } from '../../node/errors';
import { startRuntime } from '../../node/runtime';
import { describeKeys, loadWebhookKeys } from '../../node/intake/webhook-keys';
import { echoProblems } from '../problem-echo';
import { action, dataDir, note, say, VERSION, withDataOption, type DataOption } from '../context';
import { describeRadio, loraOptions, withRadioOptions, type RadioFlags } from './radio-options';
import { radioPortsFromEnv } from '../../node/transports/lora/serial-ports';
import { TileLibrary } from '../../node/tiles/tile-library';

interface ServeOptions extends DataOption, RadioFlags {
  port: string;
  host: string;
  demo?: boolean;
  otlp?: string;
  tiles: string[];
  peer: string[];
  name?: string;
  discover?: boolean;
  discoveryPort?: string;
  allowHost: string[];
  webhookSecret?: string;
  webhookSecrets?: string;
  ingestHost?: string;
  ingestPort?: string;
  gps?: string;
  truck?: string;
  gpsInterval: string;
  gpsMinMove?: string;
  gpsBaud: string;
  buffer?: string;
  osmandPort?: string;
  osmandHost: string;
}

/** The built console, next to the CLI bundle (out/cli -> out/renderer). */
export function consoleDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', 'renderer'), join(here, '..', '..', 'out', 'renderer')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

function tokenFile(dir: string): string {
  return join(dir, 'console-token');
}

/** A console access token kept in the data folder, for nodes that listen beyond loopback. */
function accessToken(dir: string): string {
  const path = tokenFile(dir);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const token = randomBytes(18).toString('base64url');
  writeFileSync(path, token + '\n', { mode: 0o600 });
  return token;
}

function gpsOptions(opts: ServeOptions): { path: string; truck: string; intervalS: number; minMoveM: number | null; baudRate: number } | undefined {
  if (!opts.gps) {
    if (opts.truck) throw new MandalaError('bad_usage', '--truck names the truck of a serial GPS: give --gps PATH too');
    return undefined;
  }
  if (!opts.truck || opts.truck.length > 64) throw new MandalaError('bad_usage', '--gps needs --truck ID (at most 64 characters): the truck whose positions the GPS gives');
  const intervalS = Number(opts.gpsInterval);
  const minMoveM = opts.gpsMinMove === undefined ? null : Number(opts.gpsMinMove);
  const baudRate = Number(opts.gpsBaud);
  if (!(intervalS > 0)) throw new MandalaError('bad_usage', `--gps-interval ${opts.gpsInterval} is not a number of seconds`);
  if (minMoveM !== null && !(minMoveM >= 0)) throw new MandalaError('bad_usage', `--gps-min-move ${opts.gpsMinMove} is not a number of metres`);
  if (!Number.isInteger(baudRate) || baudRate <= 0) throw new MandalaError('bad_usage', `--gps-baud ${opts.gpsBaud} is not a baud rate`);
  return { path: opts.gps, truck: opts.truck, intervalS, minMoveM, baudRate };
}

export function registerServe(program: Command): void {
  const cmd = withDataOption(program.command('serve').description('run the node headless and serve the console to a browser'))
    .option('--port <port>', 'port for the console and LAN sync', '7420')
    .option('--host <host>', 'address to listen on (0.0.0.0 to accept LAN peers and browsers)', '127.0.0.1')
    .option('--demo', 'add a simulated fleet and simulated peers (no radio needed)')
    .option('--peer <host:port>', 'a LAN peer to keep in sync with (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--name <name>', 'name for a node created by this start')
    .option('--discover', 'find and join peers on the LAN by multicast (default when --host is not loopback)')
    .option('--no-discover', 'do not announce this node or look for others on the LAN')
    .option('--discovery-port <port>', 'UDP port for LAN discovery', '7421')
    .option('--allow-host <name>', 'another name the console may be opened at, e.g. a DNS name for this machine (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--webhook-secret <whsec>', 'the secret vendors sign position webhooks with (or MANDALA_WEBHOOK_SECRET)')
    .option('--webhook-secrets <file>', 'a JSON map of vendor name -> whsec_ secret or whpk_ public key')
    .option('--ingest-host <host>', 'address for the intake alone, without the console (with --ingest-port)', '0.0.0.0')
    .option('--ingest-port <port>', 'also serve the telemetry intake alone on this port')
    .option('--buffer <redis-url>', 'also drain positions that `mandala ingest` processes put in Redis (redis://HOST:PORT)')
    .option('--osmand-port <port>', 'take reports from phones (Traccar Client, OsmAnd) on this port; Traccar uses 5055')
    .option('--osmand-host <host>', 'address for the phones\' reports', '0.0.0.0')
    .option('--gps <path>', "a serial GPS (NMEA 0183) on this truck kit: its fixes are recorded as --truck's")
    .option('--truck <id>', 'the truck this kit rides in (with --gps)')
    .option('--gps-interval <seconds>', 'record a GPS fix at most this often', '10')
    .option('--gps-min-move <metres>', 'skip fixes closer than this to the last one recorded (a parked truck)')
    .option('--gps-baud <rate>', 'the GPS serial speed', '9600')
    .option('--tiles <file>', 'your own offline map (a PMTiles or MBTiles file, raster or vector) drawn as the basemap; repeatable, the first opens active', (v: string, acc: string[]) => [...acc, v], [])
    .option('--otlp <url>', "also export each position's lifecycle spans over OTLP/HTTP to this collector (e.g. http://localhost:4318/v1/traces)");
  withRadioOptions(cmd).action(
      action(async (opts: ServeOptions) => {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new MandalaError('bad_port', `--port ${opts.port} is not a port number`);
        const dir = dataDir(opts);
        const staticDir = consoleDir();
        if (!staticDir) note('warning: the console is not built (run `npm run build`); serving the API only');
        const keys = loadWebhookKeys({ secret: opts.webhookSecret, secretsFile: opts.webhookSecrets, env: process.env['MANDALA_WEBHOOK_SECRET'] });
        for (const k of keys) if (k.weak) note(`warning: ${k.weak}`);
        const ingestPort = opts.ingestPort === undefined ? null : Number(opts.ingestPort);
        if (ingestPort !== null && (!Number.isInteger(ingestPort) || ingestPort < 0 || ingestPort > 65535)) throw new MandalaError('bad_port', `--ingest-port ${opts.ingestPort} is not a port number`);
        const gps = gpsOptions(opts);
        const osmandPort = opts.osmandPort === undefined ? null : Number(opts.osmandPort);
        if (osmandPort !== null && (!Number.isInteger(osmandPort) || osmandPort < 0 || osmandPort > 65535)) throw new MandalaError('bad_port', `--osmand-port ${opts.osmandPort} is not a port number`);
        // A map file that cannot be used stops the start here, before the node opens.
        const tiles = await TileLibrary.open(opts.tiles);
        let server: ConsoleServer | null = null;
        let osmandBound: number | null = null;
        let token: string | undefined;
        const runtime = await startRuntime({
          dir,
          version: VERSION,
          create: true,
          name: opts.name,
          demo: opts.demo,
          peers: opts.peer,
          lora: loraOptions(opts),
          radioPorts: radioPortsFromEnv(),
          discover: opts.discover ?? !isLoopback(opts.host),
          discoveryPort: Number(opts.discoveryPort),
          onWarning: (m) => note(`warning: ${m}`),
          listen: { host: opts.host, port },
          gps,
          otlp: opts.otlp,
          redisBuffer: opts.buffer,
          intake: {
            keys,
            listen: ingestPort === null ? undefined : { host: opts.ingestHost ?? '0.0.0.0', port: ingestPort },
            osmand: osmandPort === null ? undefined : { host: opts.osmandHost, port: osmandPort },
          },
          http: (node, intake, radio) => {
            if (!isLoopback(opts.host)) token = accessToken(dir);
            const hosts = consoleHosts(opts.host, opts.allowHost);
            const devices = { devices: osmandPort === null ? null : (intake?.devices ?? null), osmandPort: () => osmandBound };
            server = new ConsoleServer({ node: node.api, handlers: createHandlers(node.api, VERSION, devices, tiles, radio), version: VERSION, staticDir, hosts, accessToken: token, accessTokenFile: tokenFile(dir), intake: intake ?? undefined, tiles });
            return server.http;
          },
        });
        const { node, boundPort } = runtime;
        osmandBound = runtime.osmandPort;
        const shown = isLoopback(opts.host) || isWildcard(opts.host) ? '127.0.0.1' : opts.host;
        say(`Mandala node "${node.name}" (${node.self.slice(0, 8)}), ${node.api.log.eventCount()} events, data in ${dir}`);
        say(`console: http://${shown}:${boundPort}/${token ? `?token=${token}` : ''}`);
        say(`LAN sync: mandala sync --peer ${isWildcard(opts.host) ? (interfaceAddresses()[0] ?? '<this-machine-ip>') : shown}:${boundPort}`);
        const m = node.membership;
        for (const line of exposureLines(opts.host, boundPort ?? port, { fleet: m ? { id: m.fleetId, name: m.name } : null, tokenFile: tokenFile(dir) })) say(line);
        // What stands in the way (a feed to recover, a damaged store, a GPS without a fix): said in
        // the terminal as well as in the console, at once and whenever it changes.
        echoProblems(node.problems, note);
        const intakeAt = runtime.intakePort !== null ? `${opts.ingestHost ?? '0.0.0.0'}:${runtime.intakePort}` : `${shown}:${boundPort}`;
        say(`intake: POST http://${intakeAt}/ingest/v1/positions (${keys.length ? describeKeys(keys.map((k) => k.vendor)) : opts.buffer ? 'no webhook secret set: vendors post to `mandala ingest`, and direct deliveries here are refused' : 'no webhook secret set: every delivery is refused until one is given with --webhook-secret'})`);
        if (runtime.osmandPort !== null) say(`phones: OsmAnd protocol on ${opts.osmandHost}:${runtime.osmandPort} (${runtime.devices.list().length} devices registered; add one with \`mandala device add DEVICE_ID --truck TRUCK_ID\`)`);
        if (opts.buffer) say(`buffer: draining ${opts.buffer} (stream mandala:positions, consumer node-${node.self.slice(0, 16)})`);
        if (gps) say(`gps: ${gps.path} for truck ${gps.truck} (a fix every ${gps.intervalS} s${gps.minMoveM ? ` when it moved ${gps.minMoveM} m or more` : ''})`);
        for (const l of tiles.layers().layers) say(`map: ${l.file} (${l.container}, ${l.kind} ${l.format}, zoom ${l.minZoom}–${l.maxZoom})${l.active ? ', the basemap the console opens with' : ''}`);
        if (opts.demo) say('demo: simulated fleet and peers running');
        if (opts.lora) say(`radio: ${opts.lora} (${describeRadio(loraOptions(opts)!)})`);
        let stopping = false;
        const stop = async (signal: string) => {
          if (stopping) return;
          stopping = true;
          note(`${signal}: stopping`);
          // Whatever happens while stopping, the process ends (a checkpoint is saved first when it can be).
          setTimeout(() => process.exit(0), 15_000).unref();
          try {
            (server as ConsoleServer | null)?.close();
            await runtime.stop();
            tiles.close();
          } catch (e) {
            note(`mandala: while stopping: ${(e as Error).message}`);
          } finally {
            process.exit(0);
          }
        };
        process.once('SIGINT', () => void stop('SIGINT'));
        process.once('SIGTERM', () => void stop('SIGTERM'));
      }),
    );
}
