// POST /ingest/v1/positions: a vendor's signed webhook (Standard Webhooks). The steps, and the
// status each refusal gets (a JSON body {error: {code, message}} with a stable code):
//   load shed 429 (+ Retry-After) -> body over 64 KiB 413 -> signature 401 -> body 400/413 ->
//   gates 400 -> admitted to the inbox (group commit, fsync) 202, or a webhook-id seen before 200.
// A store that cannot commit answers 503. Nothing of a refused delivery is written.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock/clock';
import type { LocalDraft } from '../../core/store/feed-log';
import { authenticate } from './webhook-auth';
import type { WebhookKey } from './webhook-keys';
import { MAX_BODY_BYTES, parsePositions } from './positions-body';
import type { AdmitOutcome, InboxDelivery } from '../../core/store/intake-inbox';
import type { Shed } from './load-gauge';
import { tracedPositionOf, type Lifecycle } from '../tracing/lifecycle';

export const POSITIONS_PATH = '/ingest/v1/positions';

/** Where accepted deliveries go: this node's inbox (intake-buffer.ts) or a Redis stream (redis-sink.ts). */
export interface DeliverySink {
  /** Null when a delivery may be taken; else how long its sender should wait. */
  shed(): Shed | null;
  /** Resolves once the delivery is durable (`stored`) or known (`duplicate`); rejects when it cannot be kept. */
  submit(delivery: InboxDelivery): Promise<AdmitOutcome>;
}

export interface WebhookRouteOptions {
  readonly keys: readonly WebhookKey[];
  readonly sink: DeliverySink;
  readonly clock: Clock;
  /** The gates' first refusal of these drafts, or null (writing/node-writer.ts `check`). */
  readonly check: (drafts: readonly LocalDraft[]) => { code: string; message: string } | null;
  /** Each delivery's lifecycle trace (tracing/lifecycle.ts), when the node keeps them. */
  readonly lifecycle?: Lifecycle;
  /** Positions waiting in the inbox, and drained so far (where a new delivery stands in the queue). */
  readonly queue?: () => { waiting: number; drained: number };
}

/** Responses by status, for the ingest view and the bench. */
export type StatusCounts = Record<number, number>;

export class WebhookRoute {
  readonly statuses: StatusCounts = {};
  readonly retryAfters: number[] = [];

  constructor(private readonly opts: WebhookRouteOptions) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return this.error(res, 405, 'method_not_allowed', `${POSITIONS_PATH} takes POST`);
    }
    const shed = this.opts.sink.shed();
    if (shed) {
      this.retryAfters.push(shed.retryAfterS);
      if (this.retryAfters.length > 1000) this.retryAfters.shift();
      res.setHeader('Retry-After', String(shed.retryAfterS));
      return this.error(res, 429, 'overloaded', `this node is taking in positions as fast as it can (${shed.reason}); try again in ${shed.retryAfterS} s`);
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return this.tooLarge(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        this.tooLarge(req, res);
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (over) return;
      void this.deliver(req, res, Buffer.concat(chunks));
    });
  }

  private async deliver(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const nowMs = this.opts.clock.nowMs();
    const auth = authenticate(req.headers, body, nowMs, this.opts.keys);
    const webhookId = String(req.headers['webhook-id'] ?? '').slice(0, 200);
    if (!auth.ok) {
      this.opts.lifecycle?.received('webhook', [], { 'webhook.id': webhookId }).step('signature.check', auth);
      return this.error(res, 401, auth.code, auth.message);
    }
    const parsed = parsePositions(body, auth.vendor, nowMs);
    const positions = parsed.ok ? parsed.drafts.map(tracedPositionOf) : [];
    const traced = this.opts.lifecycle?.received('webhook', positions, { 'webhook.id': auth.id, 'mandala.vendor': auth.vendor });
    traced?.step('signature.check');
    if (!parsed.ok) {
      traced?.step('body.parse', parsed);
      return this.error(res, parsed.status, parsed.code, parsed.message);
    }
    const denied = this.opts.check(parsed.drafts);
    traced?.step('gate.check', denied);
    if (denied) return this.error(res, 400, denied.code, `refused by this node's rules: ${denied.message}`);
    let outcome;
    const queue = this.opts.queue?.() ?? { waiting: 0, drained: 0 };
    const startedMs = this.opts.clock.nowMs();
    try {
      outcome = await this.opts.sink.submit({ key: `webhook:${auth.vendor}:${auth.id}`, atMs: nowMs, drafts: parsed.drafts });
    } catch (e) {
      traced?.failed('store_unavailable', (e as Error).message);
      return this.error(res, 503, 'store_unavailable', `the positions could not be stored (${(e as Error).message}); nothing was kept: send them again later`);
    }
    traced?.buffered(outcome, queue.waiting, queue.drained, startedMs);
    if (outcome === 'duplicate') return this.json(res, 200, { accepted: 0, id: auth.id, duplicate: true });
    this.json(res, 202, { accepted: parsed.drafts.length, id: auth.id });
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('Connection', 'close');
    this.error(res, 413, 'body_too_large', `a delivery is at most ${MAX_BODY_BYTES} bytes: split it`);
    req.resume();
  }

  private error(res: ServerResponse, status: number, code: string, message: string): void {
    this.json(res, status, { error: { code, message } });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  }
}
