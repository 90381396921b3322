// The consumer side of the Redis buffer (`serve --buffer redis://...`): reads the stream through
// the consumer group under a name stable per data folder, admits each entry to this node's own
// SQLite inbox (whose delivery keys make a re-read entry a no-op), and only then XACKs and deletes
// it. A restarted node first re-reads its own pending entries; entries a dead consumer left
// pending for 30 s are claimed (XAUTOCLAIM). Nothing is lost when the node dies mid-batch, and
// nothing is applied twice. While the local inbox is full, reading pauses: Redis holds the rest.
import type { Redis } from 'ioredis';
import type { Scheduler } from '../../core/clock/scheduler';
import type { ProblemLog } from '../problems/problem-log';
import type { IntakeBuffer } from './intake-buffer';
import { entryDelivery, GROUP, STREAM } from './redis-stream';

export interface RedisDrainOptions {
  readonly redis: Redis;
  readonly url: string;
  /** This node's consumer name in the group (stable across restarts of one data folder). */
  readonly consumer: string;
  readonly buffer: IntakeBuffer;
  readonly scheduler: Scheduler;
  readonly problems: ProblemLog;
  /** Pause reading while this many positions wait in the local inbox. */
  readonly maxLocalWaiting?: number;
  readonly batch?: number;
  /** Entries another consumer left pending this long are claimed (its node is taken for dead). */
  readonly claimIdleMs?: number;
  readonly claimEveryMs?: number;
}

/** What `GET /api/health` says of the Redis buffer a node drains. */
export interface RedisDrainStats {
  readonly buffer: 'redis';
  readonly url: string;
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
  readonly reachable: boolean;
  /** Entries taken from the stream into the local inbox, of them already known, and unreadable ones. */
  readonly entries: number;
  readonly duplicates: number;
  readonly bad: number;
  /** Entries claimed from consumers that stopped acknowledging. */
  readonly claimed: number;
}

type Entry = [id: string, fields: string[]];
const CLAIM_IDLE_MS = 30_000;
const CLAIM_EVERY_MS = 10_000;

export class RedisDrain {
  private stopped = false;
  private running: Promise<void> | null = null;
  private reachable = true;
  readonly counts = { entries: 0, duplicates: 0, bad: 0, claimed: 0 };

  constructor(private readonly opts: RedisDrainOptions) {}

  async start(): Promise<void> {
    try {
      await this.opts.redis.xgroup('CREATE', STREAM, GROUP, '0', 'MKSTREAM');
    } catch (e) {
      if (!/BUSYGROUP/.test((e as Error).message)) throw e;
    }
    this.running = this.loop();
  }

  stats(): RedisDrainStats {
    return { buffer: 'redis', url: this.opts.url, stream: STREAM, group: GROUP, consumer: this.opts.consumer, reachable: this.reachable, ...this.counts };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    this.opts.redis.disconnect();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.opts.scheduler.after(ms, resolve));
  }

  private async loop(): Promise<void> {
    const { redis, consumer, scheduler } = this.opts;
    const count = String(this.opts.batch ?? 500);
    let ownPending = true;
    let nextClaimMs = 0;
    while (!this.stopped) {
      try {
        if (this.opts.buffer.waiting() > (this.opts.maxLocalWaiting ?? 50_000)) {
          await this.sleep(200);
          continue;
        }
        if (scheduler.nowMs() >= nextClaimMs) {
          nextClaimMs = scheduler.nowMs() + (this.opts.claimEveryMs ?? CLAIM_EVERY_MS);
          const claimed = ((await redis.xautoclaim(STREAM, GROUP, consumer, this.opts.claimIdleMs ?? CLAIM_IDLE_MS, '0-0', 'COUNT', count)) as [string, Entry[]])[1] ?? [];
          await this.admit(claimed);
          this.counts.claimed += claimed.length;
        }
        // A restarted node first takes back what it had read and not acknowledged ('0'), then new entries.
        const reply = (ownPending
          ? await redis.xreadgroup('GROUP', GROUP, consumer, 'COUNT', count, 'STREAMS', STREAM, '0')
          : await redis.xreadgroup('GROUP', GROUP, consumer, 'COUNT', count, 'BLOCK', 500, 'STREAMS', STREAM, '>')) as [string, Entry[]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (ownPending && entries.length === 0) ownPending = false;
        await this.admit(entries);
        this.reachable = true;
        this.opts.problems.clear('redis_unreachable');
      } catch (e) {
        if (this.stopped) break;
        this.reachable = false;
        this.opts.problems.warn('redis_unreachable', `cannot read the Redis buffer at ${this.opts.url} (${(e as Error).message}); positions wait there safely, retrying every second`);
        await this.sleep(1000);
      }
    }
  }

  /** Into the local inbox (durable), then acknowledged and deleted from the stream. */
  private async admit(entries: readonly Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const ids: string[] = [];
    const waits: Promise<unknown>[] = [];
    for (const [id, fields] of entries) {
      ids.push(id);
      if (!fields) continue; // deleted from the stream while pending
      const delivery = entryDelivery(fields);
      if (!delivery) {
        this.counts.bad++;
        this.opts.problems.warn('redis_entry_unreadable', `${this.counts.bad} entries in ${STREAM} could not be read (not written by mandala ingest?); they were dropped`);
        continue;
      }
      waits.push(this.opts.buffer.submit(delivery).then((o) => o === 'duplicate' && this.counts.duplicates++));
    }
    await Promise.all(waits);
    this.counts.entries += entries.length;
    await this.opts.redis.multi().xack(STREAM, GROUP, ...ids).xdel(STREAM, ...ids).exec();
  }
}
