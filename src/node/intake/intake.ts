// The node's telemetry intake: vendors' signed webhooks into the inbox (the buffer tank), drained
// into this node's own feed. Composed once per running node; the console server and the
// intake-only server (intake-server.ts) route its paths here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IntakeInbox } from '../../core/store/intake-inbox';
import type { MandalaNode } from '../create-node';
import { IntakeBuffer } from './intake-buffer';
import type { LoadFigures, ShedLimits } from './load-gauge';
import { POSITIONS_PATH, WebhookRoute } from './webhook-route';
import { OsmandRoute } from './osmand-route';
import type { DeviceRegistry } from './device-registry';
import type { IntakeRoutes } from '../api/console-server';
import type { WebhookKey } from './webhook-keys';
import type { RedisDrainStats } from './redis-drain';
import type { Lifecycle } from '../tracing/lifecycle';

export interface IntakeOptions {
  readonly keys: readonly WebhookKey[];
  readonly limits?: ShedLimits;
  /** Phones allowed to report by the OsmAnd protocol; none are taken without it. */
  readonly devices?: DeviceRegistry;
  /** Each delivery's lifecycle trace, when the node keeps them. */
  readonly lifecycle?: Lifecycle;
}

export interface IntakeStats extends LoadFigures {
  readonly waiting: number;
  readonly deliveries: number;
  readonly duplicates: number;
  readonly positions: number;
  readonly drained: number;
  readonly statuses: Record<number, number>;
  readonly osmandStatuses: Record<number, number>;
  /** The last Retry-After values given (seconds). */
  readonly retryAfters: readonly number[];
  /** The Redis stream this node drains (`serve --buffer redis://...`), when it does. */
  readonly redis?: RedisDrainStats;
}

export class Intake {
  readonly buffer: IntakeBuffer;
  readonly webhooks: WebhookRoute;
  readonly osmand: OsmandRoute | null;
  readonly devices: DeviceRegistry | null;
  private upstream: (() => RedisDrainStats) | null = null;

  constructor(
    private readonly node: MandalaNode,
    inbox: IntakeInbox,
    opts: IntakeOptions,
  ) {
    const scheduler = node.scheduler;
    this.buffer = new IntakeBuffer({
      inbox,
      scheduler,
      problems: node.problems,
      limits: opts.limits,
      apply: (drafts, settle) => {
        const lifecycle = opts.lifecycle;
        if (!lifecycle) return void node.writer.appendSettled(drafts, settle);
        let traced: ReturnType<Lifecycle['appended']> = [];
        let storedMs = 0;
        node.writer.appendSettled(drafts, settle, (results) => {
          traced = lifecycle.appended(drafts, results);
          storedMs = scheduler.nowMs();
        });
        lifecycle.projected(traced, storedMs);
      },
    });
    const queue = () => ({ waiting: this.buffer.waiting(), drained: this.buffer.counts.drained });
    this.webhooks = new WebhookRoute({ keys: opts.keys, sink: this.buffer, clock: scheduler, check: (d) => node.writer.check(d), lifecycle: opts.lifecycle, queue });
    this.devices = opts.devices ?? null;
    this.osmand = opts.devices ? new OsmandRoute({ sink: this.buffer, devices: opts.devices, clock: scheduler, check: (d) => node.writer.check(d), lifecycle: opts.lifecycle, queue }) : null;
  }

  /** The OsmAnd protocol on its own port: every path but the health check is a report. */
  osmandRoutes(): IntakeRoutes | null {
    const osmand = this.osmand;
    if (!osmand) return null;
    return { handles: (path) => path !== '/api/health', handle: (req, res) => osmand.handle(req, res), stats: () => ({ statuses: osmand.statuses, waiting: this.buffer.waiting() }) };
  }

  /** True when this request is the intake's (its routes skip the console's host and token rules). */
  handles(path: string): boolean {
    return path === POSITIONS_PATH;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.webhooks.handle(req, res);
  }

  start(): void {
    this.buffer.start();
  }

  /** Deliveries also come from a Redis stream; its figures join this intake's. */
  drainsFrom(stats: () => RedisDrainStats): void {
    this.upstream = stats;
  }

  stop(): void {
    this.buffer.stop();
  }

  stats(): IntakeStats {
    const c = this.buffer.counts;
    return { waiting: this.buffer.waiting(), deliveries: c.deliveries, duplicates: c.duplicates, positions: c.positions, drained: c.drained, statuses: { ...this.webhooks.statuses }, osmandStatuses: { ...(this.osmand?.statuses ?? {}) }, retryAfters: [...this.webhooks.retryAfters], ...this.buffer.gauge.figures(this.node.scheduler.nowMs()), ...(this.upstream ? { redis: this.upstream() } : {}) };
  }
}
