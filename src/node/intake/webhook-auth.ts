// Authenticates one webhook delivery by the Standard Webhooks rules: the three headers present, a
// timestamp within 300 s of the node's clock either way, and a signature by a configured key over
// "{id}.{timestamp}.{raw body}". The key that signed names the vendor.
import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookKey } from './webhook-keys';

export const TIMESTAMP_TOLERANCE_S = 300;

export type WebhookAuth =
  | { readonly ok: true; readonly vendor: string; readonly id: string }
  | { readonly ok: false; readonly code: string; readonly message: string };

const header = (h: IncomingHttpHeaders, name: string): string | null => {
  const v = h[name];
  return typeof v === 'string' && v.length > 0 ? v : null;
};

export function authenticate(headers: IncomingHttpHeaders, body: Buffer, nowMs: number, keys: readonly WebhookKey[]): WebhookAuth {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) {
    return { ok: false, code: 'signature_missing', message: 'a delivery needs the webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks)' };
  }
  if (id.length > 256) return { ok: false, code: 'signature_invalid', message: 'webhook-id is longer than 256 characters' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, code: 'timestamp_invalid', message: 'webhook-timestamp must be whole seconds since 1970' };
  const skewS = Number(timestamp) - Math.floor(nowMs / 1000);
  if (Math.abs(skewS) > TIMESTAMP_TOLERANCE_S) {
    return {
      ok: false,
      code: 'timestamp_outside_window',
      message: `webhook-timestamp is ${Math.abs(skewS)} s ${skewS > 0 ? 'ahead of' : 'behind'} this node's clock (at most ${TIMESTAMP_TOLERANCE_S} s either way): check the sender's and this node's clocks`,
    };
  }
  if (keys.length === 0) return { ok: false, code: 'no_webhook_secret', message: 'this node has no webhook secret: start it with --webhook-secret, MANDALA_WEBHOOK_SECRET or --webhook-secrets FILE' };
  const plain = { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
  for (const key of keys) if (key.verify(id, timestamp, body, plain)) return { ok: true, vendor: key.vendor, id };
  return { ok: false, code: 'signature_invalid', message: 'no signature in webhook-signature matches a configured secret: check the secret this vendor signs with' };
}
