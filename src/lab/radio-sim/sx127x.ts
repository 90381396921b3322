// What an SX127x chip and RNode firmware 1.86 derive from the host's settings once the radio is
// on: the frequency the PLL actually lands on, the bandwidth the chip snaps to, and the
// STAT_PHYPRM figures the firmware reports (updateBitrate() in Utilities.h). Pure; it owns no
// state and never talks to the host itself.
import { CMD } from '../../core/lora/rnode';
import { kissEncode } from '../../core/lora/kiss';

/** The SX127x's bandwidth steps (getSignalBandwidth() in sx127x.cpp). */
const SX127X_BANDWIDTHS = [7800, 10400, 15600, 20800, 31250, 41700, 62500, 125000, 250000, 500000] as const;
const CRYSTAL_HZ = 32_000_000;
const FRF_SHIFT = 2 ** 19;

/** The frequency the chip reports back after setFrequency(): the PLL step is about 61 Hz. */
export function chipFrequencyHz(requestedHz: number): number {
  const frf = Math.floor((requestedHz * FRF_SHIFT) / CRYSTAL_HZ);
  return Math.floor((frf * CRYSTAL_HZ) / FRF_SHIFT);
}

/** The bandwidth the chip applies: the first step at or above the request, else 500 kHz. */
export function chipBandwidthHz(requestedHz: number): number {
  return SX127X_BANDWIDTHS.find((bw) => requestedHz <= bw) ?? 500000;
}

// Constants from the firmware's Config.h.
const LORA_PREAMBLE_SYMBOLS_MIN = 18;
const LORA_PREAMBLE_TARGET_MS = 24;
const LORA_PREAMBLE_FAST_DELTA = 18;
const LORA_FAST_THRESHOLD_BPS = 30e3;
const CSMA_SLOT_MAX_MS = 100;
const CSMA_SLOT_MIN_MS = 24;
const CSMA_SLOT_MIN_FAST_DELTA = 18;
const CSMA_SLOT_SYMBOLS = 12;
const CSMA_SIFS_MS = 0;

export interface PhyParams {
  readonly symbolTimeUs: number;
  readonly symbolRate: number;
  readonly preambleSymbols: number;
  readonly preambleMs: number;
  readonly csmaSlotMs: number;
  readonly difsMs: number;
}

/** updateBitrate() for a radio that is on. */
export function phyParams(bwHz: number, sf: number, cr: number): PhyParams {
  const symbolRate = bwHz / 2 ** sf;
  const symbolTimeMs = 1000 / symbolRate;
  const bitrate = Math.trunc(sf * (4 / cr / (2 ** sf / (bwHz / 1000))) * 1000);
  const fast = bitrate > LORA_FAST_THRESHOLD_BPS;
  const slotMin = fast ? CSMA_SLOT_MIN_MS - CSMA_SLOT_MIN_FAST_DELTA : CSMA_SLOT_MIN_MS;
  const preambleTargetMs = fast ? LORA_PREAMBLE_TARGET_MS - LORA_PREAMBLE_FAST_DELTA : LORA_PREAMBLE_TARGET_MS;
  let slot = symbolTimeMs * CSMA_SLOT_SYMBOLS;
  if (slot > CSMA_SLOT_MAX_MS) slot = CSMA_SLOT_MAX_MS;
  if (slot < CSMA_SLOT_MIN_MS) slot = slotMin;
  const target = preambleTargetMs / symbolTimeMs;
  const preambleSymbols = target < LORA_PREAMBLE_SYMBOLS_MIN ? LORA_PREAMBLE_SYMBOLS_MIN : Math.ceil(target);
  return {
    symbolTimeUs: Math.trunc(symbolTimeMs * 1000),
    symbolRate: Math.trunc(symbolRate),
    preambleSymbols,
    preambleMs: Math.ceil(preambleSymbols * symbolTimeMs),
    csmaSlotMs: Math.trunc(slot),
    difsMs: Math.trunc(CSMA_SIFS_MS + 2 * slot),
  };
}

/** The STAT_PHYPRM frame: six u16 BE values. */
export function phyParamsFrame(p: PhyParams): Uint8Array {
  const values = [p.symbolTimeUs, p.symbolRate, p.preambleSymbols, p.preambleMs, p.csmaSlotMs, p.difsMs];
  return kissEncode(CMD.STAT_PHYPRM, new Uint8Array(values.flatMap((v) => [(v >> 8) & 0xff, v & 0xff])));
}
