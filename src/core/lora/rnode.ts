// The RNode firmware's serial protocol (see shared reference rnode-kiss.md): command bytes, how
// values are packed, and how replies and statistics are read. Pure, so the host driver and the
// radio simulator speak exactly the same protocol from one definition.
import { kissEncode } from './kiss';

export const CMD = {
  DATA: 0x00,
  FREQUENCY: 0x01,
  BANDWIDTH: 0x02,
  TXPOWER: 0x03,
  SF: 0x04,
  CR: 0x05,
  RADIO_STATE: 0x06,
  RADIO_LOCK: 0x07,
  DETECT: 0x08,
  IMPLICIT: 0x09,
  LEAVE: 0x0a,
  ST_ALOCK: 0x0b,
  LT_ALOCK: 0x0c,
  PROMISC: 0x0e,
  READY: 0x0f,
  STAT_RX: 0x21,
  STAT_TX: 0x22,
  STAT_RSSI: 0x23,
  STAT_SNR: 0x24,
  STAT_CHTM: 0x25,
  STAT_PHYPRM: 0x26,
  STAT_BAT: 0x27,
  STAT_CSMA: 0x28,
  STAT_TEMP: 0x29,
  BLINK: 0x30,
  RANDOM: 0x40,
  BOARD: 0x47,
  PLATFORM: 0x48,
  MCU: 0x49,
  FW_VERSION: 0x50,
  RESET: 0x55,
  DEV_HASH: 0x56,
  FW_HASH: 0x58,
  LOG: 0x80,
  ERROR: 0x90,
} as const;

export const DETECT_REQUEST = 0x73;
export const DETECT_RESPONSE = 0x46;
export const RESET_BYTE = 0xf8;
export const RADIO_OFF = 0x00;
export const RADIO_ON = 0x01;
export const ASK = 0xff;

export const ERROR_CODES: Readonly<Record<number, { code: string; message: string }>> = {
  0x01: { code: 'radio_init_failed', message: 'the radio chip did not initialise; check the board and its antenna connection' },
  0x02: { code: 'tx_failed', message: 'the radio failed to transmit a packet' },
  0x03: { code: 'eeprom_locked', message: "the device's configuration memory is locked" },
  0x04: { code: 'queue_full', message: "the radio's transmit queue overflowed and dropped a packet; the host is sending too fast" },
  0x05: { code: 'memory_low', message: 'the device is low on memory' },
  0x06: { code: 'modem_timeout', message: 'the radio modem timed out; the firmware resets it' },
};

/** RNode's MTU: a payload over this is dropped by the firmware. One LoRa frame carries 254. */
export const RNODE_MTU = 508;
export const LORA_FRAME_PAYLOAD = 254;
export const MIN_FIRMWARE = { major: 1, minor: 52 } as const;

export function u32be(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

export function readU32be(b: Uint8Array): number | null {
  if (b.length < 4) return null;
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

export function readU16be(b: Uint8Array, at: number): number {
  return ((b[at]! << 8) | b[at + 1]!) >>> 0;
}

/** The host's opening line: detect, then ask for firmware version, platform and MCU. */
export function detectSequence(): Uint8Array {
  const parts = [
    kissEncode(CMD.DETECT, new Uint8Array([DETECT_REQUEST])),
    kissEncode(CMD.FW_VERSION, new Uint8Array([0x00])),
    kissEncode(CMD.PLATFORM, new Uint8Array([0x00])),
    kissEncode(CMD.MCU, new Uint8Array([0x00])),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export interface RadioConfig {
  readonly frequencyHz: number;
  readonly bandwidthHz: number;
  readonly txPowerDbm: number;
  readonly sf: number;
  readonly cr: number;
}

/** Commands that configure the radio, in the order the firmware expects, each echoed back. */
export function configCommands(c: RadioConfig): Uint8Array[] {
  return [
    kissEncode(CMD.FREQUENCY, u32be(c.frequencyHz)),
    kissEncode(CMD.BANDWIDTH, u32be(c.bandwidthHz)),
    kissEncode(CMD.TXPOWER, new Uint8Array([c.txPowerDbm & 0xff])),
    kissEncode(CMD.SF, new Uint8Array([c.sf])),
    kissEncode(CMD.CR, new Uint8Array([c.cr])),
  ];
}

export function validateConfig(c: RadioConfig): string | null {
  if (!Number.isInteger(c.frequencyHz) || c.frequencyHz < 137_000_000 || c.frequencyHz > 3_000_000_000) return `frequency ${c.frequencyHz} Hz is outside 137 MHz..3 GHz`;
  if (![7800, 10400, 15600, 20800, 31250, 41700, 62500, 125000, 250000, 500000, 812500, 1625000].includes(c.bandwidthHz)) {
    return `bandwidth ${c.bandwidthHz} Hz is not a LoRa bandwidth (e.g. 125000, 250000, 500000)`;
  }
  if (!Number.isInteger(c.sf) || c.sf < 5 || c.sf > 12) return `spreading factor ${c.sf} is outside 5..12`;
  if (!Number.isInteger(c.cr) || c.cr < 5 || c.cr > 8) return `coding rate ${c.cr} is outside 5..8 (4/5..4/8)`;
  if (!Number.isInteger(c.txPowerDbm) || c.txPowerDbm < 0 || c.txPowerDbm > 37) return `TX power ${c.txPowerDbm} dBm is outside 0..37`;
  return null;
}

export function rssiFromByte(b: number): number {
  return b - 157;
}

export function snrFromByte(b: number): number {
  return ((b << 24) >> 24) * 0.25;
}

export interface ChannelStats {
  /** Airtime this radio used, short and long term, percent. */
  readonly airtimeShortPct: number;
  readonly airtimeLongPct: number;
  /** Channel load (everyone's transmissions heard), short and long term, percent. */
  readonly channelLoadShortPct: number;
  readonly channelLoadLongPct: number;
  readonly currentRssiDbm: number;
  readonly noiseFloorDbm: number;
  readonly interference: boolean;
}

export function parseChannelStats(p: Uint8Array): ChannelStats | null {
  if (p.length < 11) return null;
  return {
    airtimeShortPct: readU16be(p, 0) / 100,
    airtimeLongPct: readU16be(p, 2) / 100,
    channelLoadShortPct: readU16be(p, 4) / 100,
    channelLoadLongPct: readU16be(p, 6) / 100,
    currentRssiDbm: rssiFromByte(p[8]!),
    noiseFloorDbm: rssiFromByte(p[9]!),
    interference: p[10] !== 0xff,
  };
}

export function encodeChannelStats(s: ChannelStats): Uint8Array {
  const u16 = (v: number) => [(Math.round(v * 100) >> 8) & 0xff, Math.round(v * 100) & 0xff];
  const b = (dbm: number) => Math.max(0, Math.min(255, Math.round(dbm + 157)));
  return new Uint8Array([
    ...u16(s.airtimeShortPct),
    ...u16(s.airtimeLongPct),
    ...u16(s.channelLoadShortPct),
    ...u16(s.channelLoadLongPct),
    b(s.currentRssiDbm),
    b(s.noiseFloorDbm),
    s.interference ? 0x01 : 0xff,
  ]);
}

export function firmwareAtLeast(major: number, minor: number): boolean {
  return major > MIN_FIRMWARE.major || (major === MIN_FIRMWARE.major && minor >= MIN_FIRMWARE.minor);
}
