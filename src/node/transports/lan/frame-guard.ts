// Sits between a TCP socket and the encrypted stream above it and reads the stream's framing
// (each message a 3-byte little-endian length, then the bytes) before anything is buffered: a
// message claiming more than the limit ends the connection at once. Without it, three bytes
// claiming 16 MB would make the layer above allocate 16 MB, per connection.
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

export class FrameGuard extends Duplex {
  /** Bytes of the current header still to read (0 while inside a message body). */
  private headerLeft = 3;
  private length = 0;
  private shift = 0;
  private bodyLeft = 0;

  constructor(
    private readonly socket: Socket,
    /** The largest message allowed right now (small during the handshake). */
    private readonly limit: () => number,
    private readonly onTooLarge: (claimed: number, limit: number) => void,
  ) {
    super();
    socket.on('data', (data: Buffer) => {
      if (!this.inspect(data)) return;
      if (!this.push(data)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.destroy());
    socket.on('error', (e) => this.destroy(e));
    socket.on('drain', () => this.emit('drain'));
  }

  /** Follows the framing through `data`; false (and the socket destroyed) on an oversized claim. */
  private inspect(data: Buffer): boolean {
    let i = 0;
    while (i < data.length) {
      if (this.headerLeft > 0) {
        this.length += data[i++]! << this.shift;
        this.shift += 8;
        if (--this.headerLeft === 0) {
          const limit = this.limit();
          if (this.length > limit) {
            this.onTooLarge(this.length, limit);
            this.socket.destroy();
            return false;
          }
          this.bodyLeft = this.length;
          if (this.bodyLeft === 0) this.resetHeader();
        }
      } else {
        const take = Math.min(this.bodyLeft, data.length - i);
        i += take;
        this.bodyLeft -= take;
        if (this.bodyLeft === 0) this.resetHeader();
      }
    }
    return true;
  }

  private resetHeader(): void {
    this.headerLeft = 3;
    this.length = 0;
    this.shift = 0;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.socket.write(chunk, cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.socket.end(cb);
  }

  override _destroy(e: Error | null, cb: (e?: Error | null) => void): void {
    this.socket.destroy();
    cb(e);
  }
}
