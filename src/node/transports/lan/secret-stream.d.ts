// The part of @hyperswarm/secret-stream (Noise XX over Ed25519 keys, then an authenticated,
// encrypted message stream) that the LAN transport uses. The package ships no types of its own.
declare module '@hyperswarm/secret-stream' {
  import type { Duplex as NodeDuplex } from 'node:stream';

  interface KeyPair {
    readonly publicKey: Buffer;
    readonly secretKey: Buffer;
  }

  interface Options {
    readonly keyPair: KeyPair;
    /** Prologue-like data is not offered; the handshake pattern is XX. */
    readonly keepAlive?: number;
  }

  class NoiseSecretStream {
    constructor(isInitiator: boolean, rawStream: NodeDuplex, opts: Options);
    readonly remotePublicKey: Buffer | null;
    readonly connected: boolean;
    readonly destroyed: boolean;
    /** Closes the stream after `ms` without incoming data. */
    setTimeout(ms: number): void;
    /** Sends an empty message every `ms`, so an idle but live link is not timed out. */
    setKeepAlive(ms: number): void;
    write(data: Uint8Array): boolean;
    end(): void;
    destroy(err?: Error): void;
    on(event: 'connect' | 'drain' | 'close' | 'end', listener: () => void): this;
    on(event: 'data', listener: (data: Buffer) => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
    once(event: 'connect' | 'close', listener: () => void): this;
    once(event: 'error', listener: (err: Error) => void): this;
  }

  export = NoiseSecretStream;
}
