// `mandala ingest`: a stateless intake process for HQ scale. It verifies signed webhooks exactly
// as `serve` does and puts each delivery in a Redis stream (once per webhook-id across every
// ingest process), which `serve --buffer` nodes drain. Several run side by side behind a load
// balancer; none holds state of its own.
import type { Command } from 'commander';
import { realTime } from '../../node/clock/real-scheduler';
import { MandalaError } from '../../node/errors';
import { createIntakeServer, listenHttp } from '../../node/intake/intake-server';
import { RedisSink } from '../../node/intake/redis-sink';
import { connectRedis } from '../../node/intake/redis-stream';
import { POSITIONS_PATH, WebhookRoute } from '../../node/intake/webhook-route';
import { describeKeys, loadWebhookKeys } from '../../node/intake/webhook-keys';
import { action, note, say, VERSION } from '../context';

interface IngestOptions {
  buffer?: string;
  port: string;
  host: string;
  webhookSecret?: string;
  webhookSecrets?: string;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('a stateless webhook intake that buffers positions in Redis for `serve --buffer` nodes')
    .option('--buffer <redis-url>', 'the Redis server to buffer in (redis://HOST:PORT)')
    .option('--port <port>', 'port for POST /ingest/v1/positions and GET /api/health', '7430')
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .option('--webhook-secret <whsec>', 'the secret vendors sign with (or MANDALA_WEBHOOK_SECRET)')
    .option('--webhook-secrets <file>', 'a JSON map of vendor name -> whsec_ secret or whpk_ public key')
    .action(
      action(async (opts: IngestOptions) => {
        if (!opts.buffer) throw new MandalaError('bad_usage', 'mandala ingest needs --buffer redis://HOST:PORT (the nodes drain it with `mandala serve --buffer` the same URL)');
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new MandalaError('bad_port', `--port ${opts.port} is not a port number`);
        const keys = loadWebhookKeys({ secret: opts.webhookSecret, secretsFile: opts.webhookSecrets, env: process.env['MANDALA_WEBHOOK_SECRET'] });
        for (const k of keys) if (k.weak) note(`warning: ${k.weak}`);
        if (keys.length === 0) throw new MandalaError('bad_usage', 'mandala ingest needs a webhook secret: --webhook-secret whsec_..., MANDALA_WEBHOOK_SECRET or --webhook-secrets FILE');
        const scheduler = realTime((m) => note(`warning: ${m}`));
        const redis = await connectRedis(opts.buffer);
        const sink = new RedisSink({ redis, scheduler });
        sink.start();
        // Gates beyond the body's schema belong to the node that signs; it refuses nothing the schema passed.
        const route = new WebhookRoute({ keys, sink, clock: scheduler, check: () => null });
        const server = createIntakeServer({
          version: VERSION,
          intake: { handles: (path) => path === POSITIONS_PATH, handle: (req, res) => route.handle(req, res), stats: () => ({ ...sink.stats(), statuses: route.statuses }) },
        });
        const bound = await listenHttp(server, opts.host, port, '--port');
        say(`intake: POST http://${opts.host}:${bound}${POSITIONS_PATH} (${describeKeys(keys.map((k) => k.vendor))}), buffered in ${opts.buffer}`);
        const stop = (signal: string) => {
          note(`${signal}: stopping`);
          sink.stop();
          server.close(() => {
            redis.disconnect();
            process.exit(0);
          });
          setTimeout(() => process.exit(0), 5000).unref();
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      }),
    );
}
