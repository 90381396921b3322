// The radio flags `serve` accepts, their defaults (EU868 sub-band g1: 868.1 MHz, 125 kHz, SF9,
// 4/5, 14 dBm, 1% duty cycle) and their validation, with errors that say what is allowed.
import type { Command } from 'commander';
import { loraBitrate } from '../../core/lora/airtime';
import { validateConfig, type RadioConfig } from '../../core/lora/rnode';
import { MandalaError } from '../../node/errors';
import type { LoraOptions } from '../../node/runtime';

export interface RadioFlags {
  lora?: string;
  freq: string;
  bw: string;
  sf: string;
  cr: string;
  txpower: string;
  dutyCycle: string;
  freshness: string;
  bootWait?: string;
}

export function withRadioOptions(cmd: Command): Command {
  return cmd
    .option('--lora <path>', 'sync over an RNode LoRa radio on this serial port (see `mandala ports`)')
    .option('--freq <hz>', 'radio frequency in Hz', '868100000')
    .option('--bw <hz>', 'LoRa bandwidth in Hz', '125000')
    .option('--sf <n>', 'spreading factor 5..12', '9')
    .option('--cr <n>', 'coding rate 5..8 (4/5..4/8)', '5')
    .option('--txpower <dbm>', 'TX power in dBm (the radio may clamp it)', '14')
    .option('--duty-cycle <pct>', 'share of airtime this node may use, in percent (EU868 g1: 1)', '1')
    .option('--freshness <seconds>', "hold this node's new positions this long so one radio frame carries them all (0: send each at once)", '30')
    .option('--boot-wait <ms>', 'wait after opening the port (ESP32 boards reboot on open)', '2000');
}

function int(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new MandalaError('bad_radio_setting', `${flag} ${text} is not a whole number`);
  return n;
}

export function loraOptions(f: RadioFlags): LoraOptions | undefined {
  if (!f.lora) return undefined;
  const config: RadioConfig = {
    frequencyHz: int('--freq', f.freq),
    bandwidthHz: int('--bw', f.bw),
    sf: int('--sf', f.sf),
    cr: int('--cr', f.cr),
    txPowerDbm: int('--txpower', f.txpower),
  };
  const problem = validateConfig(config);
  if (problem) throw new MandalaError('bad_radio_setting', problem);
  const duty = Number(f.dutyCycle);
  if (!(duty > 0 && duty <= 100)) throw new MandalaError('bad_radio_setting', `--duty-cycle ${f.dutyCycle} must be a percentage above 0 and at most 100`);
  const freshness = Number(f.freshness);
  if (!(Number.isFinite(freshness) && freshness >= 0 && freshness <= 3600)) throw new MandalaError('bad_radio_setting', `--freshness ${f.freshness} must be a number of seconds from 0 (send each position at once) to 3600`);
  return { path: f.lora, config, dutyCyclePct: duty, freshnessMs: Math.round(freshness * 1000), bootWaitMs: f.bootWait === undefined ? undefined : int('--boot-wait', f.bootWait) };
}

export function describeRadio(o: LoraOptions): string {
  const c = o.config;
  return `${(c.frequencyHz / 1e6).toFixed(3)} MHz, ${c.bandwidthHz / 1000} kHz, SF${c.sf}, 4/${c.cr}, ${c.txPowerDbm} dBm, ${o.dutyCyclePct}% duty cycle, positions held ${(o.freshnessMs ?? 30_000) / 1000} s, ~${Math.round(loraBitrate({ sf: c.sf, bwHz: c.bandwidthHz, cr: c.cr }))} bit/s`;
}
