// The part of Hypercore 11 (a dev dependency, the replication bench's baseline) that the bench
// uses. The package ships no types of its own.
declare module 'hypercore' {
  import type { Duplex } from 'node:stream';

  export default class Hypercore {
    constructor(storage: string, key?: Buffer);
    readonly key: Buffer;
    readonly length: number;
    ready(): Promise<void>;
    append(blocks: Buffer[]): Promise<unknown>;
    replicate(isInitiator: boolean): Duplex;
    download(range: { start: number; end: number }): { done(): Promise<void> };
    close(): Promise<void>;
  }
}
