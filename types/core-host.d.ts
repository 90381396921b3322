// The host objects the pure core may use: the WHATWG Encoding API, present in every JavaScript
// runtime (browsers, Node, Deno). Only tsconfig.core.json sees this file; everything else the
// core needs of its host (time, timers, randomness, crypto, storage) comes through ports.
interface TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare const TextEncoder: { new (): TextEncoder };

interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare const TextDecoder: { new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder };
