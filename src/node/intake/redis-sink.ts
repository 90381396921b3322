// The producer side of the Redis buffer (`mandala ingest`): an accepted delivery is added to the
// stream only if no intake process has seen its key, in one Lua script (SET NX with a 72 h expiry,
// then XADD), so two processes that both received a webhook-id apply it once, and a crash between
// the two steps cannot mark a delivery seen without storing it. Redis's AOF makes it durable.
// Load is shed (429) while the stream holds more than `maxWaiting` undrained entries.
import type { Redis } from 'ioredis';
import type { Scheduler, TimerHandle } from '../../core/clock/scheduler';
import { every } from '../../core/clock/scheduler';
import type { AdmitOutcome, InboxDelivery } from '../../core/store/intake-inbox';
import { MAX_RETRY_AFTER_S, type Shed } from './load-gauge';
import { entryFields, KEEP_SEEN_MS, SEEN_PREFIX, STREAM } from './redis-stream';
import type { DeliverySink } from './webhook-route';

const ADD_ONCE = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
end
return false`;

export interface RedisSinkOptions {
  readonly redis: Redis;
  readonly scheduler: Scheduler;
  /** Stream entries waiting to be drained before load is shed. */
  readonly maxWaiting?: number;
}

export class RedisSink implements DeliverySink {
  private length = 0;
  private drainPerS = 0;
  private timer: TimerHandle | null = null;
  private added = 0;
  private reachable = true;
  readonly counts = { stored: 0, duplicates: 0, failed: 0 };

  constructor(private readonly opts: RedisSinkOptions) {}

  /** Samples the stream's length once a second (the node deletes what it drained). */
  start(): void {
    let prev: { len: number; added: number; atMs: number } | null = null;
    const sample = async () => {
      try {
        const len = await this.opts.redis.xlen(STREAM);
        const now = this.opts.scheduler.nowMs();
        if (prev) this.drainPerS = Math.max(0, ((prev.len + (this.added - prev.added) - len) * 1000) / Math.max(1, now - prev.atMs));
        prev = { len, added: this.added, atMs: now };
        this.length = len;
        this.reachable = true;
      } catch {
        this.reachable = false;
      }
    };
    void sample();
    this.timer = every(this.opts.scheduler, 1000, () => void sample());
  }

  stop(): void {
    this.timer?.cancel();
  }

  shed(): Shed | null {
    const max = this.opts.maxWaiting ?? 200_000;
    if (this.length < max) return null;
    const s = Math.ceil((this.length - max / 2) / Math.max(1, this.drainPerS));
    return { retryAfterS: Math.min(MAX_RETRY_AFTER_S, Math.max(1, s)), reason: 'inbox_full' };
  }

  async submit(d: InboxDelivery): Promise<AdmitOutcome> {
    try {
      const id = await this.opts.redis.eval(ADD_ONCE, 2, SEEN_PREFIX + d.key, STREAM, String(KEEP_SEEN_MS), ...entryFields(d));
      if (id === null) {
        this.counts.duplicates++;
        return 'duplicate';
      }
      this.added++;
      this.length++;
      this.counts.stored++;
      return 'stored';
    } catch (e) {
      this.counts.failed++;
      throw new Error(`the Redis buffer did not take it: ${(e as Error).message}`, { cause: e });
    }
  }

  stats(): object {
    return { buffer: 'redis', reachable: this.reachable, waiting: this.length, drainPerS: Math.round(this.drainPerS), ...this.counts };
  }
}
