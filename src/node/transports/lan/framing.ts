// Length-prefixed framing for sync over a byte stream: u32 big-endian length, then the message.
// A frame that claims more than the limit is refused before any of it is buffered, so a peer
// cannot make this node allocate gigabytes by lying about a length.

export const SYNC_PREFACE = Buffer.from('MNDL\x01', 'latin1');

export type FrameResult = { frames: Uint8Array[]; error: null } | { frames: Uint8Array[]; error: { code: string; message: string } };

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxFrameBytes: number) {}

  push(data: Buffer): FrameResult {
    this.chunks.push(data);
    this.buffered += data.length;
    const frames: Uint8Array[] = [];
    while (this.buffered >= 4) {
      const head = this.peek(4);
      const len = head.readUInt32BE(0);
      if (len > this.maxFrameBytes) {
        return { frames, error: { code: 'frame_too_large', message: `peer announced a ${len}-byte frame; the limit is ${this.maxFrameBytes}` } };
      }
      if (this.buffered < 4 + len) break;
      const all = this.take(4 + len);
      frames.push(new Uint8Array(all.subarray(4)));
    }
    return { frames, error: null };
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = Buffer.from(all.subarray(0, n));
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered -= n;
    return out;
  }
}

export function encodeFrame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.set(payload, 4);
  return out;
}
