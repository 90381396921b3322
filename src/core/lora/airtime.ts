// LoRa time on air by the Semtech formula (SX127x datasheet, AN1200.13). Every byte Mandala
// sends over a radio is budgeted with this, and the radio simulator uses the same function, so
// the duty-cycle accounting and the simulated channel agree.

export interface LoraParams {
  readonly sf: number;
  readonly bwHz: number;
  /** RNode's coding-rate setting: 5..8 for 4/5..4/8. */
  readonly cr: number;
  readonly preambleSymbols?: number;
  readonly crc?: boolean;
  readonly implicitHeader?: boolean;
}

/** RNode firmware sends an 18-symbol preamble and one header byte in front of each payload. */
export const RNODE_PREAMBLE_SYMBOLS = 18;
export const RNODE_HEADER_BYTES = 1;

export function symbolMs(p: LoraParams): number {
  return (2 ** p.sf / p.bwHz) * 1000;
}

/** Airtime in ms of one LoRa packet carrying `payloadBytes` (on-air bytes, header included). */
export function loraAirtimeMs(payloadBytes: number, p: LoraParams): number {
  const tsym = symbolMs(p);
  const de = tsym > 16 ? 1 : 0; // low-data-rate optimisation
  const ih = p.implicitHeader ? 1 : 0;
  const crc = p.crc === false ? 0 : 1;
  const crIndex = p.cr - 4; // 1..4
  const sx126xLowSf = p.sf < 7;
  const preamble = (p.preambleSymbols ?? 8) + (sx126xLowSf ? 6.25 : 4.25);
  const numerator = 8 * payloadBytes - 4 * p.sf + (sx126xLowSf ? 0 : 28) + 16 * crc - 20 * ih;
  const nPayload = 8 + Math.max(Math.ceil(numerator / (4 * (p.sf - 2 * de))) * (crIndex + 4), 0);
  return (preamble + nPayload) * tsym;
}

/** Airtime of a payload as an RNode sends it (18-symbol preamble, 1 header byte, split at 255). */
export function rnodeAirtimeMs(payloadBytes: number, p: LoraParams): number {
  const params = { ...p, preambleSymbols: RNODE_PREAMBLE_SYMBOLS };
  if (payloadBytes <= 254) return loraAirtimeMs(payloadBytes + RNODE_HEADER_BYTES, params);
  return loraAirtimeMs(255, params) + loraAirtimeMs(payloadBytes - 254 + RNODE_HEADER_BYTES, params);
}

/** Approximate bit rate, for people. */
export function loraBitrate(p: LoraParams): number {
  return (p.sf * (4 / p.cr) * p.bwHz) / 2 ** p.sf;
}
