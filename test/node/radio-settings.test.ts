// PROVES: what the console's radio picker may attach — a port is required, settings not given
//         keep the EU868 g1 defaults, each bad setting is refused with a sentence that says what
//         is allowed, an unknown setting is named, and a node that has no radio control says how
//         to get one.
import { describe, expect, it } from 'vitest';
import { createRadioHandlers } from '../../src/node/api/radio-handlers';
import { DEFAULT_RADIO, radioOptions } from '../../src/node/transports/lora/radio-control';

const fail = (code: string, message: string): never => {
  throw Object.assign(new Error(message), { code });
};

function refusal(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  throw new Error('expected a refusal');
}

describe('radio settings from the console', () => {
  it('keeps_the_defaults_for_what_is_not_given', () => {
    const o = radioOptions({ path: ' /dev/ttyUSB0 ' });
    expect(o.path).toBe('/dev/ttyUSB0');
    expect(o.config).toEqual({ frequencyHz: DEFAULT_RADIO.frequencyHz, bandwidthHz: 125_000, sf: 9, cr: 5, txPowerDbm: 14 });
    expect(o.dutyCyclePct).toBe(1);
    expect(o.freshnessMs).toBe(30_000);
    expect(radioOptions({ path: '/dev/ttyACM0', sf: 7, bandwidthHz: 500_000, freshnessS: 0 }).freshnessMs).toBe(0);
  });

  it('refuses_each_bad_setting_in_words', () => {
    expect(refusal(() => radioOptions({ path: '' }))).toEqual({ code: 'bad_radio_setting', message: 'choose the serial port the radio is on' });
    expect(refusal(() => radioOptions({ path: '/dev/x', sf: 13 })).message).toBe('spreading factor 13 is outside 5..12');
    expect(refusal(() => radioOptions({ path: '/dev/x', bandwidthHz: 100_000 })).message).toContain('is not a LoRa bandwidth');
    expect(refusal(() => radioOptions({ path: '/dev/x', frequencyHz: 100_000_000 })).message).toBe('frequency 100000000 Hz is outside 137 MHz..3 GHz');
    expect(refusal(() => radioOptions({ path: '/dev/x', dutyCyclePct: 0 })).message).toContain('must be a percentage above 0 and at most 100');
    expect(refusal(() => radioOptions({ path: '/dev/x', freshnessS: -1 })).message).toContain('from 0 (send each position at once) to 3600');
    expect(refusal(() => radioOptions({ path: '/dev/x', sf: '9' as unknown as number })).message).toBe('sf must be a number');
  });

  it('names_an_unknown_setting_and_says_how_to_get_a_radio_control', async () => {
    const handlers = createRadioHandlers(null, fail);
    expect(refusal(() => handlers['radio.attach']({ path: '/dev/x', spreading: 9 } as never))).toEqual({ code: 'bad_request', message: expect.stringContaining('unknown radio setting spreading') });
    expect(refusal(() => handlers['radio.attach']({ path: '/dev/x' })).code).toBe('radio_unavailable');
    expect(await handlers['radio.status']({})).toEqual({ ports: [], attached: null, defaults: DEFAULT_RADIO });
  });
});
