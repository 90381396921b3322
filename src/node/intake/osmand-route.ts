// The OsmAnd protocol, as Traccar documents it, so a driver's phone (Traccar Client, OsmAnd)
// reports straight to a camp node. Two forms, by GET or POST:
//   - parameters (query or form body): id|deviceid, lat, lon, timestamp (unix seconds or
//     ISO-8601), speed (knots), bearing, altitude, accuracy, batt;
//   - the JSON body of Traccar Client 9 and later: {device_id, location: {timestamp, coords:
//     {latitude, longitude, speed (m/s), heading, accuracy, altitude}, battery}}.
// A registered device's report is answered 200 with an empty body once durable (the same inbox
// as webhooks; a repeated report of one device and fix time is applied once); an unknown device
// gets 403 and is listed for the dispatcher to admit. Positions keep `osmand:DEVICE` as source.
import type { Lifecycle } from '../tracing/lifecycle';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Clock } from '../../core/clock/clock';
import { KINDS } from '../../core/events/kinds';
import { degreesToE6 } from '../../core/geo/geo';
import type { LocalDraft } from '../../core/store/feed-log';
import type { DeviceRegistry } from './device-registry';
import { MAX_BODY_BYTES, MAX_FUTURE_MS } from './positions-body';
import type { DeliverySink } from './webhook-route';

const num = z.coerce.number().refine(Number.isFinite);
const params = z.object({
  id: z.string().min(1).max(48),
  lat: num.pipe(z.number().min(-90).max(90)),
  lon: num.pipe(z.number().min(-180).max(180)),
  timestamp: z.string().optional(),
  speed: num.pipe(z.number().min(0)).optional(),
  bearing: num.optional(),
  accuracy: num.pipe(z.number().min(0)).optional(),
});
const json = z.object({
  device_id: z.string().min(1).max(48),
  location: z.object({
    timestamp: z.string().optional(),
    coords: z.object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
      speed: z.number().optional(),
      heading: z.number().optional(),
      accuracy: z.number().min(0).optional(),
    }),
  }),
});

interface Report {
  readonly device: string;
  readonly lat: number;
  readonly lon: number;
  readonly time: string | undefined;
  readonly speedKmh: number | undefined;
  readonly heading: number | undefined;
  readonly accuracyM: number | undefined;
}

const KMH_PER_KNOT = 1.852;
const KMH_PER_MS = 3.6;

export class OsmandRoute {
  readonly statuses: Record<number, number> = {};

  constructor(
    private readonly opts: {
      readonly sink: DeliverySink;
      readonly devices: DeviceRegistry;
      readonly clock: Clock;
      /** The gates' first refusal of these drafts, or null. */
      readonly check: (drafts: readonly LocalDraft[]) => { code: string; message: string } | null;
      /** Each report's lifecycle trace, when the node keeps them. */
      readonly lifecycle?: Lifecycle;
      readonly queue?: () => { waiting: number; drained: number };
    },
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'POST') return this.reply(res, 405, 'method_not_allowed', 'OsmAnd reports come by GET or POST');
    const shed = this.opts.sink.shed();
    if (shed) {
      res.setHeader('Retry-After', String(shed.retryAfterS));
      return this.reply(res, 429, 'overloaded', `try again in ${shed.retryAfterS} s`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return this.reply(res, 413, 'body_too_large', `a report is at most ${MAX_BODY_BYTES} bytes`);
      void this.report(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  }

  private parse(req: IncomingMessage, body: string): Report | { code: string; message: string } {
    const url = new URL(req.url ?? '/', 'http://osmand');
    const type = String(req.headers['content-type'] ?? '');
    if (type.includes('application/json')) {
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch (e) {
        return { code: 'malformed_json', message: `the body is not JSON (${(e as Error).message})` };
      }
      const r = json.safeParse(value);
      if (!r.success) return { code: 'invalid_report', message: `${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}` };
      const c = r.data.location.coords;
      return { device: r.data.device_id, lat: c.latitude, lon: c.longitude, time: r.data.location.timestamp, speedKmh: c.speed !== undefined && c.speed >= 0 ? c.speed * KMH_PER_MS : undefined, heading: c.heading !== undefined && c.heading >= 0 ? c.heading : undefined, accuracyM: c.accuracy };
    }
    const fields = new URLSearchParams(url.search);
    if (req.method === 'POST' && body) for (const [k, v] of new URLSearchParams(body)) fields.set(k, v);
    const raw = Object.fromEntries(fields);
    const r = params.safeParse({ ...raw, id: raw['id'] ?? raw['deviceid'] });
    if (!r.success) return { code: 'invalid_report', message: `${r.error.issues[0]!.path.join('.') || 'the report'}: ${r.error.issues[0]!.message} (expected id, lat, lon, timestamp, ...)` };
    const p = r.data;
    return { device: p.id, lat: p.lat, lon: p.lon, time: p.timestamp, speedKmh: p.speed !== undefined ? p.speed * KMH_PER_KNOT : undefined, heading: p.bearing, accuracyM: p.accuracy };
  }

  private fixTime(time: string | undefined, nowMs: number): number | null {
    if (time === undefined || time === '') return nowMs;
    if (/^\d+(\.\d+)?$/.test(time)) {
      const n = Number(time);
      return Math.round(n > 1e11 ? n : n * 1000); // seconds, or milliseconds from some clients
    }
    const ms = Date.parse(time);
    return Number.isFinite(ms) && /^\d{4}-\d\d-\d\dT/.test(time) ? ms : null;
  }

  private async report(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const r = this.parse(req, body);
    if ('code' in r) return this.reply(res, 400, r.code, r.message);
    const nowMs = this.opts.clock.nowMs();
    const truck = this.opts.devices.truckOf(r.device);
    if (truck === null) {
      this.opts.devices.noteAsking(r.device, { lat: r.lat, lon: r.lon });
      return this.reply(res, 403, 'unknown_device', `device ${r.device} is not registered here: a dispatcher admits it in the console, or \`mandala device add ${r.device} --truck TRUCK_ID\``);
    }
    const fixMs = this.fixTime(r.time, nowMs);
    if (fixMs === null) return this.reply(res, 400, 'bad_time', `timestamp ${r.time} is neither unix seconds nor ISO-8601`);
    if (fixMs - nowMs > MAX_FUTURE_MS) return this.reply(res, 400, 'time_in_future', 'the report is more than 24 h ahead of this node\'s clock: check the phone\'s clock');
    const payload: Record<string, string | number> = { truck, fix_ms: fixMs, lat_e6: degreesToE6(r.lat), lon_e6: degreesToE6(r.lon), source: `osmand:${r.device}` };
    if (r.speedKmh !== undefined) payload['speed_kmh'] = Math.min(2000, Math.round(r.speedKmh));
    if (r.heading !== undefined) payload['heading_deg'] = ((Math.round(r.heading) % 360) + 360) % 360;
    if (r.accuracyM !== undefined) payload['accuracy_m'] = Math.min(1_000_000, Math.round(r.accuracyM));
    const draft: LocalDraft = { kind: KINDS.truckPosition, payload };
    const traced = this.opts.lifecycle?.received('osmand', [{ truck, fixMs }], { 'mandala.device': r.device });
    const denied = this.opts.check([draft]);
    traced?.step('gate.check', denied);
    if (denied) return this.reply(res, 400, denied.code, `refused by this node's rules: ${denied.message}`);
    const queue = this.opts.queue?.() ?? { waiting: 0, drained: 0 };
    const startedMs = this.opts.clock.nowMs();
    let outcome;
    try {
      // The same report sent again (the app retries until it hears 200) has the same time and place.
      outcome = await this.opts.sink.submit({ key: `osmand:${r.device}:${fixMs}:${payload['lat_e6']}:${payload['lon_e6']}`, atMs: nowMs, drafts: [draft] });
    } catch (e) {
      traced?.failed('store_unavailable', (e as Error).message);
      return this.reply(res, 503, 'store_unavailable', `the report could not be stored (${(e as Error).message}): the phone will send it again`);
    }
    traced?.buffered(outcome, queue.waiting, queue.drained, startedMs);
    this.statuses[200] = (this.statuses[200] ?? 0) + 1;
    res.writeHead(200);
    res.end();
  }

  private reply(res: ServerResponse, status: number, code: string, message: string): void {
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (res.headersSent) return;
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { code, message } }));
  }
}
