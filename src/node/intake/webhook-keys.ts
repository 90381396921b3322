// The keys vendors sign their webhooks with (Standard Webhooks): a `whsec_` secret (HMAC-SHA256,
// `v1` signatures) or a `whpk_` Ed25519 public key (`v1a` signatures), each under the vendor name
// kept as the source of its positions. From `--webhook-secret`, MANDALA_WEBHOOK_SECRET or
// `--webhook-secrets FILE` (a JSON map vendor -> secret or public key).
import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { MandalaError } from '../errors';

export interface WebhookKey {
  readonly vendor: string;
  /** True when one of the delivery's signatures is this key's (compared in constant time). */
  verify(id: string, timestamp: string, body: Buffer, headers: Record<string, string>): boolean;
  /** Why this key is weak (a short shared secret), in words for the operator; absent when it is not. */
  readonly weak?: string;
}

/** Standard Webhooks asks for shared secrets of 24 to 64 random bytes. */
export const MIN_SECRET_BYTES = 24;

/** The vendor name a single `--webhook-secret` is kept under. */
export const DEFAULT_VENDOR = 'webhook';
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const VENDOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$/;

const whose = (vendor: string) => (vendor === DEFAULT_VENDOR ? 'the --webhook-secret' : `the webhook secret for ${vendor}`);

function hmacKey(vendor: string, secret: string): WebhookKey {
  let wh: Webhook;
  try {
    wh = new Webhook(secret);
  } catch (e) {
    throw new MandalaError('bad_webhook_secret', `${whose(vendor)} is not a whsec_ secret (${(e as Error).message}): copy it from the vendor's console as given`);
  }
  const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
  const weak =
    bytes < MIN_SECRET_BYTES
      ? `${whose(vendor)} is only ${bytes} bytes; Standard Webhooks asks for ${MIN_SECRET_BYTES} to 64 random bytes, and a short one can be guessed: make a new one (e.g. whsec_ followed by \`openssl rand -base64 32\`) and give it to the vendor`
      : undefined;
  return {
    vendor,
    ...(weak ? { weak } : {}),
    // The package checks the signatures over the raw bytes in constant time, and the window
    // against the system clock (the intake checks it against the node's clock first).
    verify: (_id, _ts, body, headers) => {
      try {
        wh.verify(body, headers, { jsonParse: false });
        return true;
      } catch {
        return false;
      }
    },
  };
}

function ed25519Key(vendor: string, publicKey: string): WebhookKey {
  const raw = Buffer.from(publicKey.slice('whpk_'.length), 'base64');
  if (raw.length !== 32) throw new MandalaError('bad_webhook_secret', `the public key for ${vendor} is not a whpk_ Ed25519 key (32 bytes, base64)`);
  const key: KeyObject = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return {
    vendor,
    verify: (id, timestamp, body, headers) => {
      const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]);
      for (const part of (headers['webhook-signature'] ?? '').split(' ')) {
        const [version, sig] = part.split(',');
        if (version !== 'v1a' || !sig) continue;
        const bytes = Buffer.from(sig, 'base64');
        if (bytes.length === 64 && verifySignature(null, signed, key, bytes)) return true;
      }
      return false;
    },
  };
}

/** One vendor's key from its secret (`whsec_…`) or public key (`whpk_…`). */
export function webhookKey(vendor: string, secret: string): WebhookKey {
  if (!VENDOR_NAME.test(vendor)) throw new MandalaError('bad_webhook_secret', `"${vendor}" is not a vendor name: use letters, digits, dot, dash or underscore (at most 48)`);
  if (secret.startsWith('whpk_')) return ed25519Key(vendor, secret);
  if (secret.startsWith('whsec_')) return hmacKey(vendor, secret);
  throw new MandalaError('bad_webhook_secret', `${whose(vendor)} must start with whsec_ (a shared secret) or whpk_ (an Ed25519 public key)`);
}

export interface WebhookKeySources {
  readonly secret?: string;
  readonly secretsFile?: string;
  readonly env?: string;
}

/** Every configured key; empty when none is (the intake then refuses every delivery with 401). */
export function loadWebhookKeys(src: WebhookKeySources): WebhookKey[] {
  const keys: WebhookKey[] = [];
  const single = src.secret ?? src.env;
  if (single) keys.push(webhookKey(DEFAULT_VENDOR, single.trim()));
  if (src.secretsFile) {
    let map: unknown;
    try {
      map = JSON.parse(readFileSync(src.secretsFile, 'utf8'));
    } catch (e) {
      throw new MandalaError('bad_webhook_secrets', `cannot read the webhook secrets in ${src.secretsFile} (${(e as Error).message}); it must be a JSON map {"vendor": "whsec_..." or "whpk_..."}`);
    }
    if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new MandalaError('bad_webhook_secrets', `${src.secretsFile} must hold a JSON map {"vendor": "whsec_..." or "whpk_..."}`);
    for (const [vendor, secret] of Object.entries(map)) {
      if (typeof secret !== 'string') throw new MandalaError('bad_webhook_secrets', `the secret for ${vendor} in ${src.secretsFile} must be a string`);
      keys.push(webhookKey(vendor, secret));
    }
  }
  return keys;
}

/** Who may post webhooks, in the banner's words. */
export function describeKeys(vendors: readonly string[]): string {
  const named = vendors.filter((v) => v !== DEFAULT_VENDOR);
  const single = vendors.includes(DEFAULT_VENDOR) ? ['anyone holding the --webhook-secret'] : [];
  return `signed webhooks from ${[...single, ...named].join(', ')}`;
}
