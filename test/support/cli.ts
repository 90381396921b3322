// Runs the built `mandala` command as a user would (node bin/mandala.js ...), capturing output.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './wait';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'mandala.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function mandala(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function mandalaAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface Served {
  child: ChildProcess;
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `mandala serve` and waits until it prints its console URL. */
export async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => /console: http:\/\/\S+/.test(out) || child.exitCode !== null, 'mandala serve to start', 30_000);
  if (child.exitCode !== null) throw new Error(`mandala serve exited ${child.exitCode}: ${out}`);
  const url = /console: (http:\/\/\S+)/.exec(out)![1]!;
  return {
    child,
    url,
    port: Number(new URL(url).port),
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // A node that does not stop in time is a failure to see, not a test that hangs.
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
