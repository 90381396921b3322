// Link framing on a shared LoRa channel: who sent a packet, whom it is for, and how a message
// larger than one packet is cut into fragments and put back together.
//   byte 0     0xB0 | flags (bit 0: fragment, bit 1: goodbye: the sender closed its link to you)
//   bytes 1-2  sender tag (first two bytes of the node key)
//   bytes 3-4  destination tag (0x0000: everyone)
//   fragment:  message id (u8), index << 4 | (count - 1)   (up to 16 fragments)
// A packet with no payload after the header is a beacon ("I am here").
export const LINK_MARK = 0xb0;
export const BROADCAST_TAG = 0;
export const HEADER_BYTES = 5;
export const FRAGMENT_HEADER_BYTES = 7;
export const MAX_FRAGMENTS = 16;

export interface LinkPacket {
  readonly src: number;
  readonly dst: number;
  readonly payload: Uint8Array;
  readonly fragment: { readonly id: number; readonly index: number; readonly count: number } | null;
  readonly goodbye: boolean;
}

export function goodbyePacket(src: number, dst: number): Uint8Array {
  return Uint8Array.from([LINK_MARK | 2, src >> 8, src & 0xff, dst >> 8, dst & 0xff]);
}

export function tagOf(authorHex: string): number {
  const t = parseInt(authorHex.slice(0, 4), 16);
  return t === BROADCAST_TAG ? 1 : t;
}

export function tagHex(tag: number): string {
  return tag.toString(16).padStart(4, '0');
}

/** Packets for one message: whole if it fits, else fragments. Null when it cannot be sent. */
export function packetsFor(src: number, dst: number, message: Uint8Array, packetBytes: number, messageId: number): Uint8Array[] | null {
  const head = (flags: number) => [LINK_MARK | flags, src >> 8, src & 0xff, dst >> 8, dst & 0xff];
  if (message.length + HEADER_BYTES <= packetBytes) return [Uint8Array.from([...head(0), ...message])];
  const room = packetBytes - FRAGMENT_HEADER_BYTES;
  const count = Math.ceil(message.length / room);
  if (count > MAX_FRAGMENTS) return null;
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const part = message.subarray(i * room, (i + 1) * room);
    out.push(Uint8Array.from([...head(1), messageId & 0xff, (i << 4) | (count - 1), ...part]));
  }
  return out;
}

export function parsePacket(p: Uint8Array): LinkPacket | null {
  if (p.length < HEADER_BYTES || (p[0]! & 0xf0) !== LINK_MARK || (p[0]! & 0x0c) !== 0) return null;
  const src = (p[1]! << 8) | p[2]!;
  const dst = (p[3]! << 8) | p[4]!;
  if (p[0]! & 2) return p.length === HEADER_BYTES ? { src, dst, payload: p.subarray(HEADER_BYTES), fragment: null, goodbye: true } : null;
  if (p[0]! & 1) {
    if (p.length < FRAGMENT_HEADER_BYTES + 1) return null;
    const index = p[6]! >> 4;
    const count = (p[6]! & 0x0f) + 1;
    if (index >= count) return null;
    return { src, dst, payload: p.subarray(FRAGMENT_HEADER_BYTES), fragment: { id: p[5]!, index, count }, goodbye: false };
  }
  return { src, dst, payload: p.subarray(HEADER_BYTES), fragment: null, goodbye: false };
}
