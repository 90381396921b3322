// Console API for the radio picker: the serial ports found now, the radio attached, and attaching
// or detaching one while the node runs (what `serve --lora` does at start).
import type { ApiHandlers, RadioSetupDto, RadioStatusDto } from '../../shared/api';
import { DEFAULT_RADIO, radioOptions, type RadioControl } from '../transports/lora/radio-control';

type RadioHandlers = Pick<ApiHandlers, 'radio.status' | 'radio.attach' | 'radio.detach'>;

const SETUP_KEYS = new Set<string>(['path', 'frequencyHz', 'bandwidthHz', 'sf', 'cr', 'txPowerDbm', 'dutyCyclePct', 'freshnessS']);

export function createRadioHandlers(radio: RadioControl | null, fail: (code: string, m: string) => never): RadioHandlers {
  const control = (): RadioControl => radio ?? fail('radio_unavailable', 'this node cannot attach a radio while it runs (it was started without one); restart it with --lora PORT');
  const none: RadioStatusDto = { ports: [], attached: null, defaults: DEFAULT_RADIO };
  return {
    'radio.status': () => (radio ? radio.status() : none),
    'radio.attach': (args) => {
      const given = (args ?? {}) as Record<string, unknown>;
      const unknown = Object.keys(given).filter((k) => !SETUP_KEYS.has(k));
      if (unknown.length > 0) fail('bad_request', `unknown radio setting ${unknown.join(', ')}; the settings are ${[...SETUP_KEYS].join(', ')}`);
      return control().attach(radioOptions(given as Partial<RadioSetupDto>));
    },
    'radio.detach': () => control().detach(),
  };
}
