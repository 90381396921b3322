// Probing a running node from outside, as its users and monitors do: the health check's answer
// time (how long the node's event loop left a request waiting), its own loop figures, and one
// console API call over the WebSocket.
import WebSocket from 'ws';
import { startStopwatch } from '../../node/clock/system-clock';
import type { LoopDelayDto } from '../../shared/api';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls GET /api/health every 20 ms and keeps every answer's time, until stopped. */
export function probeHealth(port: number): { stop(): Promise<{ maxMs: number; samples: number; latencies: number[] }> } {
  let running = true;
  let maxMs = 0;
  let samples = 0;
  const latencies: number[] = [];
  const loop = (async () => {
    while (running) {
      const watch = startStopwatch();
      await (await fetch(`http://127.0.0.1:${port}/api/health`)).arrayBuffer();
      const ms = watch.elapsedMs();
      latencies.push(ms);
      maxMs = Math.max(maxMs, ms);
      samples++;
      await sleep(20);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { maxMs, samples, latencies };
    },
  };
}

export async function loopOf(port: number): Promise<LoopDelayDto> {
  return ((await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { loop: LoopDelayDto }).loop;
}

/** One console API call over the WebSocket, as the console makes it. */
export function apiCall(port: number, call: string, args: object, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, { headers: { origin: `http://127.0.0.1:${port}` } });
    const timer = setTimeout(() => (ws.terminate(), reject(new Error(`${call} took over ${timeoutMs} ms`))), timeoutMs);
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, call, args })));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { id?: number; ok?: boolean; result?: unknown; error?: { message: string } };
      if (msg.id !== 1) return;
      clearTimeout(timer);
      ws.close();
      if (msg.ok) resolve(msg.result);
      else reject(new Error(`${call}: ${msg.error?.message}`));
    });
    ws.on('error', (e) => (clearTimeout(timer), reject(e)));
  });
}
