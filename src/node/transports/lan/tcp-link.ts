// A Link over one TCP connection, after the Noise handshake: every message is authenticated and
// encrypted by the secret stream, and `peerKey` is the key the other end proved it holds, so the
// sync layer can check the node id a peer claims. Backpressure is the stream's: when it is full,
// `send` returns false and `drain` follows. Errors close the link with a reason; they never
// escape as exceptions.
import type NoiseSecretStream from '@hyperswarm/secret-stream';
import { Emitter } from '../../../core/util/emitter';
import type { Link, LinkEvents, LinkQuality } from '../../../core/sync/transport';

export class TcpLink implements Link {
  readonly kind = 'lan' as const;
  readonly events = new Emitter<LinkEvents>();
  closed = false;
  private full = false;

  constructor(
    readonly id: string,
    readonly label: string,
    readonly mtu: number,
    private readonly stream: NoiseSecretStream,
    /** The peer's key, proven by the handshake (hex). */
    readonly peerKey: string,
    onProblem: (code: string, message: string) => void,
  ) {
    stream.on('data', (data: Buffer) => {
      if (this.closed) return;
      if (data.length > mtu) {
        onProblem('frame_too_large', `${label}: a ${data.length}-byte message is over this link's limit of ${mtu}; connection closed`);
        this.close('frame_too_large');
        return;
      }
      this.events.emit('message', new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    stream.on('drain', () => {
      this.full = false;
      this.events.emit('drain');
    });
    stream.on('error', (e: Error & { code?: string }) => this.close(e.code ?? 'stream_error'));
    stream.on('close', () => this.close('peer_closed'));
    // The other end finished (it may have said why first): this end finishes too.
    stream.on('end', () => this.close('peer_closed'));
  }

  get writable(): boolean {
    return !this.closed && !this.full;
  }

  send(bytes: Uint8Array): boolean {
    if (this.closed || bytes.length > this.mtu || this.full) return false;
    if (!this.stream.write(bytes)) this.full = true;
    return true;
  }

  close(reason = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    // End gracefully (what was sent, such as a refusal saying why, still arrives), then make sure.
    this.stream.end();
    setTimeout(() => this.stream.destroy(), 2000).unref();
    this.events.emit('close', reason);
  }

  quality(): LinkQuality {
    return {};
  }
}
