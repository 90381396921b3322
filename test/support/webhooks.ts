// Signs position deliveries as a vendor does (Standard Webhooks, with the standardwebhooks
// package for v1 and node:crypto for v1a) and posts them with a real HTTP client (fetch).
import { generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import { request } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { SystemClock } from '../../src/node/clock/system-clock';

/** The wall clock, as a vendor's server reads it. */
export const wallNowMs = (): number => new SystemClock().nowMs();

export const SECRET = 'whsec_' + Buffer.from('mandala-test-secret-32-bytes-long!').toString('base64');

export interface Position {
  truck_id: string;
  lat: number;
  lon: number;
  time: string;
  speed_kmh?: number;
  heading?: number;
  accuracy_m?: number;
}

export const fix = (truck: string, i: number, time = new Date(Date.UTC(2026, 11, 1, 8, 0, i)).toISOString()): Position => ({
  truck_id: truck,
  lat: -1.29 + i / 10_000,
  lon: 36.82 + i / 10_000,
  time,
  speed_kmh: 40 + (i % 20),
});

export interface Signed {
  id: string;
  headers: Record<string, string>;
  body: string;
}

/** A delivery signed with `secret` (v1); `nowS` is the webhook-timestamp. */
export function signed(body: string | object, id: string, opts: { secret?: string; nowS?: number; extraSignatures?: string[] } = {}): Signed {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const nowS = opts.nowS ?? Math.floor(wallNowMs() / 1000);
  const sig = new Webhook(opts.secret ?? SECRET).sign(id, new Date(nowS * 1000), text);
  const signatures = [...(opts.extraSignatures ?? []), sig].join(' ');
  return { id, body: text, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(nowS), 'webhook-signature': signatures } };
}

/** An Ed25519 vendor key: its whpk_ public key for the node, and a v1a signer. */
export function edVendor(): { publicKey: string; sign(body: string, id: string, nowS?: number): Signed } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = (publicKey as KeyObject).export({ format: 'der', type: 'spki' }).subarray(12);
  return {
    publicKey: 'whpk_' + Buffer.from(raw).toString('base64'),
    sign(body, id, nowS = Math.floor(wallNowMs() / 1000)) {
      const sig = edSign(null, Buffer.from(`${id}.${nowS}.${body}`), privateKey).toString('base64');
      return { id, body, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(nowS), 'webhook-signature': `v1a,${sig}` } };
    },
  };
}

export interface Reply {
  status: number;
  retryAfter: string | null;
  json: { accepted?: number; id?: string; duplicate?: boolean; error?: { code: string; message: string } };
}

/**
 * Sends a request the way a vendor or a phone does: a 429 (the node shed load, as a loaded test
 * machine may make it) is sent again after its Retry-After, a few times at most.
 */
export async function retryingShed(send: () => Promise<Response>, attempts = 5): Promise<Response> {
  for (let i = 1; ; i++) {
    const res = await send();
    if (res.status !== 429 || i >= attempts) return res;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, Math.min(2, Number(res.headers.get('retry-after') ?? 1)) * 1000));
  }
}

/** Posts a delivery; a 429 is retried after its Retry-After unless `retryShed` is false. */
export async function post(base: string, d: { headers: Record<string, string>; body: string | Buffer }, opts: { retryShed?: boolean } = {}): Promise<Reply> {
  const send = () => fetch(`${base}/ingest/v1/positions`, { method: 'POST', headers: d.headers, body: d.body });
  const res = opts.retryShed === false ? await send() : await retryingShed(send);
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: text ? JSON.parse(text) : {} };
}

/** A request with exactly these headers (fetch will not send another Host). */
export function rawRequest(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** How many truck.position events each truck has in a store (to check "exactly once"). */
export function positionsPerTruck(store: { readKinds(kinds: readonly string[], cursor: number, limit: number): { events: readonly { payload: unknown }[] } }): Map<string, number> {
  const perTruck = new Map<string, number>();
  for (const ev of store.readKinds(['truck.position'], 0, 10_000_000).events) {
    const truck = (ev.payload as Record<string, string>)['truck']!;
    perTruck.set(truck, (perTruck.get(truck) ?? 0) + 1);
  }
  return perTruck;
}
