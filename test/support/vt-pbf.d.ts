// Types for the test fixtures' vector-tile encoder (vt-pbf ships none): only what they call.
declare module 'vt-pbf' {
  export function fromGeojsonVt(layers: Record<string, unknown>, options?: { version?: number; extent?: number }): Uint8Array;
}
