// Runs the RadioPort suite against both adapters: the simulated radio on an in-process RF channel
// (virtual time), and the RNode driver over real pseudo-terminals with `mandala radio-sim`'s
// firmware on the other end (real time, real serialport).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { RfChannel } from '../../src/lab/radio-sim/rf-channel';
import { RadioSimulator } from '../../src/lab/radio-sim/simulator';
import { VirtualRadioPort } from '../../src/lab/radio-sim/virtual-radio';
import { realTime } from '../../src/node/clock/real-scheduler';
import { RNodeRadioPort } from '../../src/node/transports/lora/rnode-radio-port';
import { waitFor } from '../support/wait';
import { runRadioPortSuite } from './radio-port-suite';

runRadioPortSuite('simulated radio (virtual time)', async () => {
  const scheduler = new VirtualScheduler();
  const channel = new RfChannel(scheduler, { loss: 0, seed: 3 });
  const near = { rssiDbm: -82, snrDb: 7.5 };
  channel.setReach(0, 1, near);
  channel.setReach(1, 0, near);
  const params = { frequencyHz: 868_100_000, bwHz: 500_000, sf: 7, cr: 5 };
  const a = new VirtualRadioPort(0, channel, scheduler, params);
  const b = new VirtualRadioPort(1, channel, scheduler, params);
  return {
    a,
    b,
    waitFor: async (cond, what) => {
      scheduler.runUntil(cond, 60_000, 10);
      if (!cond()) throw new Error(`no ${what} after 60 s of virtual time`);
    },
    pause: async (ms) => void scheduler.advance(ms),
    teardown: async () => {
      await a.stop();
      await b.stop();
    },
  };
});

runRadioPortSuite('RNode driver on pseudo-terminals', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-radio-port-'));
  const sim = new RadioSimulator({ nodes: 2, dir, sf: 7, bwHz: 500_000 });
  await sim.start();
  const config = { frequencyHz: 868_100_000, bandwidthHz: 500_000, sf: 7, cr: 5, txPowerDbm: 14 };
  const port = (i: number) => new RNodeRadioPort({ path: sim.path(i), config, scheduler: realTime(), bootWaitMs: 150, detectTimeoutMs: 1000, silenceTimeoutMs: 2500, maxBackoffMs: 1000 });
  const a = port(0);
  const b = port(1);
  return {
    a,
    b,
    waitFor: (cond, what) => waitFor(cond, what),
    pause: (ms) => new Promise((r) => setTimeout(r, ms)),
    teardown: async () => {
      await a.stop();
      await b.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
