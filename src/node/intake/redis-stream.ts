// The Redis Streams buffer tank shared by `mandala ingest` processes (producers) and the nodes
// that drain it (a consumer group): names, the entry format, and a connection that says in words
// when Redis cannot be reached.
import { Redis } from 'ioredis';
import type { LocalDraft } from '../../core/store/feed-log';
import type { InboxDelivery } from '../../core/store/intake-inbox';
import { MandalaError } from '../errors';

export const STREAM = 'mandala:positions';
export const GROUP = 'mandala-nodes';
/** Delivery keys seen by any intake process, kept 72 h. */
export const SEEN_PREFIX = 'mandala:seen:';
export const KEEP_SEEN_MS = 72 * 3600_000;

/** An entry's fields: k (the delivery key), a (accepted at, ms), d (the drafts, JSON). */
export function entryFields(d: InboxDelivery): string[] {
  return ['k', d.key, 'a', String(d.atMs), 'd', JSON.stringify(d.drafts)];
}

export function entryDelivery(fields: readonly string[]): InboxDelivery | null {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  const key = map.get('k');
  const atMs = Number(map.get('a'));
  let drafts: unknown;
  try {
    drafts = JSON.parse(map.get('d') ?? 'null');
  } catch {
    return null;
  }
  if (!key || !Number.isFinite(atMs) || !Array.isArray(drafts)) return null;
  return { key, atMs, drafts: drafts as LocalDraft[] };
}

/** Connects and waits until Redis answers; a clear error when it does not within 5 s. */
export async function connectRedis(url: string): Promise<Redis> {
  if (!/^rediss?:\/\//.test(url)) throw new MandalaError('bad_usage', `--buffer ${url} is not a Redis URL (redis://HOST:PORT)`);
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false, connectTimeout: 5000 });
  redis.on('error', () => {}); // reported by the callers, in words, when a command fails
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new MandalaError('redis_unreachable', `cannot reach Redis at ${url} (${(e as Error).message}): start redis-server (with appendonly yes) or fix --buffer`);
  }
  return redis;
}
