// A Link over one TCP socket. Backpressure is the socket's: when the kernel buffer is full,
// `send` returns false and `drain` follows. Socket errors close the link with a reason; they
// never escape as exceptions.
import type { Socket } from 'node:net';
import { Emitter } from '../../../core/util/emitter';
import type { Link, LinkEvents, LinkQuality } from '../../../core/sync/transport';
import { encodeFrame, FrameDecoder } from './framing';

export class TcpLink implements Link {
  readonly kind = 'lan' as const;
  readonly events = new Emitter<LinkEvents>();
  closed = false;
  private readonly decoder: FrameDecoder;

  constructor(
    readonly id: string,
    readonly label: string,
    readonly mtu: number,
    private readonly socket: Socket,
    onProblem: (code: string, message: string) => void,
  ) {
    this.decoder = new FrameDecoder(mtu);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    socket.on('data', (data: Buffer) => {
      const { frames, error } = this.decoder.push(data);
      for (const f of frames) this.events.emit('message', f);
      if (error) {
        onProblem(error.code, `${label}: ${error.message}; connection closed`);
        this.close(error.code);
      }
    });
    socket.on('drain', () => this.events.emit('drain'));
    socket.on('error', (e: NodeJS.ErrnoException) => this.close(e.code ?? 'socket_error'));
    socket.on('close', () => this.close('peer_closed'));
  }

  get writable(): boolean {
    return !this.closed && !this.socket.writableNeedDrain;
  }

  send(bytes: Uint8Array): boolean {
    if (this.closed || bytes.length > this.mtu || this.socket.writableNeedDrain) return false;
    this.socket.write(encodeFrame(bytes));
    return true;
  }

  close(reason = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.events.emit('close', reason);
  }

  quality(): LinkQuality {
    return {};
  }
}
