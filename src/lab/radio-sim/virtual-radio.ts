// A RadioPort on an in-process simulated channel: the same SimRadio the radio simulator runs,
// without serial in between. For simulations and benchmarks in virtual time (a twenty-node mesh
// at SF9 would take hours of real airtime); the serial path is tested against the simulator.
import type { Scheduler } from '../../core/clock/scheduler';
import type { LoraParams } from '../../core/lora/airtime';
import type { RadioPort, RadioPortEvents } from '../../core/lora/radio-port';
import type { RfChannel } from './rf-channel';
import { ERROR_CODES, LORA_FRAME_PAYLOAD } from '../../core/lora/rnode';
import { SimRadio } from './sim-radio';
import { Emitter } from '../../core/util/emitter';

export class VirtualRadioPort implements RadioPort {
  readonly events = new Emitter<RadioPortEvents>();
  readonly packetBytes = LORA_FRAME_PAYLOAD;
  readonly label: string;
  private readonly radio: SimRadio;

  constructor(
    id: number,
    channel: RfChannel,
    scheduler: Scheduler,
    readonly params: LoraParams & { frequencyHz: number },
  ) {
    this.label = `sim radio ${id}`;
    this.radio = new SimRadio(id, channel, scheduler, {
      onReceive: (p, rssi, snr) => this.events.emit('packet', p, rssi, snr),
      onError: (code) => {
        const e = ERROR_CODES[code];
        this.events.emit('problem', e?.code ?? 'radio_error', e?.message ?? `radio error 0x${code.toString(16)}`);
      },
    }, id + 1);
  }

  get online(): boolean {
    return this.radio.tuning() !== null;
  }

  async start(): Promise<void> {
    this.radio.frequencyHz = this.params.frequencyHz;
    this.radio.bandwidthHz = this.params.bwHz;
    this.radio.sf = this.params.sf;
    this.radio.cr = this.params.cr;
    this.radio.setTxPower(14);
    this.radio.on = true;
    this.events.emit('online');
  }

  async stop(): Promise<void> {
    this.radio.on = false;
  }

  send(payload: Uint8Array): boolean {
    return payload.length <= this.packetBytes && this.radio.send(payload);
  }
}
