// One socat process owning one pseudo-terminal, with the simulator on its stdio pipes. It reports
// the pty's path, the moment a program opens the pty (a "session": socat runs with wait-slave and
// only then starts copying), the bytes that program writes, and socat's exit. It owns nothing
// else: which path links to which pty, and respawning, belong to PtyPort.
//
// What socat 1.7.4 (Debian bookworm) does, measured on Linux:
//  - `pty,raw,echo=0` puts the pty in raw mode with echo off before anyone opens it.
//  - Without wait-slave, socat keeps its own descriptor on the slave side, so a program closing
//    the port goes unnoticed and bytes written meanwhile pile up in the pty for the next opener.
//  - With wait-slave socat drops that descriptor, polls every pty-interval until a program opens
//    the slave, logs "starting data transfer loop", and exits when that program closes it (read
//    gives EIO). So one socat process serves exactly one open of the port.
//  - Under `setpriv --pdeathsig TERM` socat dies with us even if we are SIGKILLed; without it, a
//    socat still waiting for its slave would outlive us.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { MandalaError } from '../../node/errors';

export interface SocatCommand {
  readonly file: string;
  readonly args: readonly string[];
}

/** Finds an executable on PATH. */
function which(name: string, path = process.env['PATH'] ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The command line for one pty; throws an actionable MandalaError when socat is missing. */
export function socatCommand(pollIntervalS = 0.02): SocatCommand {
  const socat = which('socat');
  if (!socat) {
    throw new MandalaError('socat_missing', 'the radio simulator needs socat to create pseudo-terminals; install it (`sudo apt-get install socat`) and try again');
  }
  const args = ['-d', '-d', '-t', '0', `pty,raw,echo=0,wait-slave,pty-interval=${pollIntervalS}`, 'STDIO'];
  const setpriv = which('setpriv');
  return setpriv ? { file: setpriv, args: ['--pdeathsig', 'TERM', '--', socat, ...args] } : { file: socat, args };
}

export interface SocatEvents {
  /** The pty exists at this path (/dev/pts/N). */
  onPty(path: string): void;
  /** A program opened the pty. */
  onSession(): void;
  /** Bytes that program wrote. */
  onData(bytes: Uint8Array): void;
  /** socat is gone; `detail` is its last complaint, if any. */
  onExit(detail: string | null): void;
}

export class SocatProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private stderrLine = '';
  private lastError: string | null = null;
  private pty: string | null = null;
  private inSession = false;
  private gone = false;
  readonly exited: Promise<void>;

  constructor(command: SocatCommand, private readonly events: SocatEvents) {
    this.child = spawn(command.file, command.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      const done = (detail: string | null) => {
        if (this.gone) return;
        this.gone = true;
        resolve();
        this.events.onExit(detail);
      };
      this.child.on('error', (e) => done(`could not run ${command.file}: ${e.message}`));
      this.child.on('close', () => done(this.lastError));
    });
    this.child.stdin.on('error', () => {}); // EPIPE after socat exits; its exit reports it
    this.child.stdout.on('data', (d: Buffer) => {
      if (!this.inSession) this.beginSession(); // data proves the loop started, whatever stderr says
      this.events.onData(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => this.readLog(text));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get ptyPath(): string | null {
    return this.pty;
  }

  get sessionActive(): boolean {
    return this.inSession && !this.gone;
  }

  get alive(): boolean {
    return !this.gone;
  }

  /** Sends bytes to the program that has the pty open; dropped when none has. */
  write(bytes: Uint8Array): void {
    if (this.inSession && !this.gone && this.child.stdin.writable) this.child.stdin.write(bytes);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (!this.gone && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** Kills and waits; SIGKILL if socat has not gone within `graceMs`. */
  async terminate(graceMs = 1000): Promise<void> {
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private beginSession(): void {
    this.inSession = true;
    this.events.onSession();
  }

  private readLog(text: string): void {
    const lines = (this.stderrLine + text).split('\n');
    this.stderrLine = lines.pop() ?? '';
    for (const line of lines) {
      const pty = /\bN PTY is (\S+)/.exec(line);
      if (pty && !this.pty) {
        this.pty = pty[1]!;
        this.events.onPty(this.pty);
      } else if (/\bN starting data transfer loop/.test(line)) {
        if (!this.inSession) this.beginSession();
      } else if (/\b[EF] /.test(line)) {
        this.lastError = line.replace(/^.*?socat\[\d+\] [EF] /, '');
      }
    }
  }
}
