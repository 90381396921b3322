// A test's stand-in for the app's serial driver: opens a simulator pty with the real serialport
// package at 115200 baud, writes raw KISS frames and collects every frame the device sends.
// Deliberately dumb (no retries, no validation) so the tests see exactly what the device says.
import { SerialPort } from 'serialport';
import { kissEncode, KissDecoder, type KissFrame } from '../../src/core/lora/kiss';
import { CMD, configCommands, RADIO_ON, type RadioConfig } from '../../src/core/lora/rnode';
import { waitFor } from '../support/wait';

/** SF7 / 500 kHz: a short packet is ~30 ms on air, so tests stay fast. */
export const FAST: RadioConfig = { frequencyHz: 868_100_000, bandwidthHz: 500_000, txPowerDbm: 14, sf: 7, cr: 5 };

export class Host {
  readonly frames: KissFrame[] = [];
  readonly raw: number[] = [];
  closed = false;
  private readonly decoder = new KissDecoder(4096);
  private cursor = 0;

  private constructor(
    readonly path: string,
    private readonly port: SerialPort,
  ) {
    port.on('data', (d: Buffer) => {
      this.raw.push(...d);
      for (const e of this.decoder.push(d)) if ('frame' in e) this.frames.push(e.frame);
    });
    port.on('close', () => (this.closed = true));
    port.on('end', () => (this.closed = true)); // end of file: the line is gone as surely
    port.on('error', () => {}); // an unplugged port reports through 'close'
  }

  static async open(path: string): Promise<Host> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    return new Host(path, port);
  }

  /** Opens and waits for the boot banner, as a driver does after the ESP32 resets on open. */
  static async boot(path: string): Promise<Host> {
    const host = await Host.open(path);
    // A quick reopen waits for the previous session's close (up to the simulator's grace).
    await host.next(CMD.RESET, 'the boot banner after opening the port', 5000);
    return host;
  }

  async write(bytes: Uint8Array | readonly number[]): Promise<void> {
    await new Promise<void>((resolve, reject) => this.port.write(Buffer.from(bytes as Uint8Array), (e) => (e ? reject(e) : resolve())));
    await new Promise<void>((resolve) => this.port.drain(() => resolve()));
  }

  async send(cmd: number, payload: readonly number[] | Uint8Array = []): Promise<void> {
    await this.write(kissEncode(cmd, Uint8Array.from(payload)));
  }

  /** The next frame with this command (skipping others) after the last one taken. */
  async next(cmd: number, what: string, timeoutMs = 2000): Promise<KissFrame> {
    let found: KissFrame | undefined;
    await waitFor(
      () => {
        const i = this.frames.findIndex((f, idx) => idx >= this.cursor && f.cmd === cmd);
        if (i < 0) return false;
        found = this.frames[i];
        this.cursor = i + 1;
        return true;
      },
      `${what} on ${this.path}`,
      timeoutMs,
    );
    return found!;
  }

  /** Every frame with this command received so far. */
  all(cmd: number): KissFrame[] {
    return this.frames.filter((f) => f.cmd === cmd);
  }

  /** Forgets what has arrived so far. */
  skipAll(): void {
    this.cursor = this.frames.length;
  }

  /** Sets frequency, bandwidth, TX power, SF, CR (each echoed) and turns the radio on. */
  async configure(c: RadioConfig = FAST): Promise<void> {
    for (const frame of configCommands(c)) {
      await this.write(frame);
      await this.next(frame[1]!, `the echo of command 0x${frame[1]!.toString(16)}`);
    }
    await this.send(CMD.RADIO_STATE, [RADIO_ON]);
    const state = await this.next(CMD.RADIO_STATE, 'the radio state echo');
    // Firmware 1.86 echoes RADIO_STATE 01 twice: startRadio() reports, then the command handler.
    await this.next(CMD.RADIO_STATE, 'the second radio state echo');
    if (state.payload[0] !== RADIO_ON) throw new Error(`radio on ${this.path} did not turn on`);
  }

  async close(): Promise<void> {
    if (this.closed || !this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
    this.closed = true;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
