// KISS framing as the RNode firmware speaks it: C0 <cmd> <escaped payload> C0, no port nibble.
// Escape FESC first (DB -> DB DD), then FEND (C0 -> DB DC). The decoder resynchronises on every
// FEND, so garbage on the line costs at most the frame it lands in, never the stream.

export const FEND = 0xc0;
export const FESC = 0xdb;
export const TFEND = 0xdc;
export const TFESC = 0xdd;

export function kissEncode(cmd: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  let extra = 0;
  for (const b of payload) if (b === FEND || b === FESC) extra++;
  const out = new Uint8Array(payload.length + extra + 3);
  let o = 0;
  out[o++] = FEND;
  out[o++] = cmd;
  for (const b of payload) {
    if (b === FESC) {
      out[o++] = FESC;
      out[o++] = TFESC;
    } else if (b === FEND) {
      out[o++] = FESC;
      out[o++] = TFEND;
    } else out[o++] = b;
  }
  out[o] = FEND;
  return out;
}

export interface KissFrame {
  readonly cmd: number;
  readonly payload: Uint8Array;
}

export type KissEvent = { readonly frame: KissFrame } | { readonly error: { readonly code: string; readonly message: string } };

/** Stream decoder. Push bytes as they arrive; take frames (and framing errors) out. */
export class KissDecoder {
  private buf: number[] = [];
  private inFrame = false;
  private escaped = false;
  private broken: string | null = null;

  constructor(private readonly maxFrameBytes = 1024) {}

  /** Drops a partial frame (the firmware's rule: after ~100 ms of silence). */
  reset(): void {
    this.buf = [];
    this.inFrame = false;
    this.escaped = false;
    this.broken = null;
  }

  get partial(): boolean {
    return this.inFrame && this.buf.length > 0;
  }

  push(data: Uint8Array): KissEvent[] {
    const out: KissEvent[] = [];
    for (const b of data) {
      if (b === FEND) {
        if (this.inFrame && this.buf.length > 0) {
          if (this.broken) out.push({ error: { code: this.broken, message: `dropped a frame: ${this.broken.replace(/_/g, ' ')}` } });
          else out.push({ frame: { cmd: this.buf[0]!, payload: Uint8Array.from(this.buf.slice(1)) } });
        }
        this.buf = [];
        this.inFrame = true;
        this.escaped = false;
        this.broken = null;
        continue;
      }
      if (!this.inFrame || this.broken) continue;
      if (this.escaped) {
        this.escaped = false;
        if (b === TFEND) this.buf.push(FEND);
        else if (b === TFESC) this.buf.push(FESC);
        else this.broken = 'bad_escape';
      } else if (b === FESC) {
        this.escaped = true;
      } else {
        this.buf.push(b);
      }
      if (this.buf.length > this.maxFrameBytes) {
        this.broken = 'frame_too_long';
        this.buf = [0];
      }
    }
    return out;
  }
}
