// A bench's own child processes: `mandala serve` (or a bare baseline server) started the way a
// user starts it, so its memory and event loop are its own and not the bench's.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Child {
  readonly proc: ChildProcess;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Node flags for the bench's child processes, from BENCH_CHILD_FLAGS (space-separated), to
 * profile what a bench drives: `BENCH_CHILD_FLAGS="--cpu-prof --cpu-prof-dir=prof" npm run bench`.
 */
export function childNodeFlags(): string[] {
  return process.env['BENCH_CHILD_FLAGS']?.split(' ').filter(Boolean) ?? [];
}

/** Starts `node ARGS` and resolves once its output matches `pattern` (group 1: the port). */
export function startChild(args: string[], pattern: RegExp): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...childNodeFlags(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        proc.stdout!.off('data', onData);
        resolve({
          proc,
          port: Number(m[1]),
          stop: () =>
            new Promise((done) => {
              if (proc.exitCode !== null) return done();
              proc.once('exit', () => done());
              proc.kill('SIGTERM');
            }),
        });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => reject(new Error(`the bench server exited (${code}): ${out.slice(-500)}`)));
  });
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Peak resident memory of a process (Linux), in MB; NaN elsewhere. */
export function peakRssMb(pid: number): number {
  return statusKb(pid, 'VmHWM');
}

/** Resident memory of a process now (Linux), in MB; NaN elsewhere. */
export function rssMb(pid: number): number {
  return statusKb(pid, 'VmRSS');
}
