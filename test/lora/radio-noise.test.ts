// PROVES: raw noise does not stall the radio link. Garbage on the serial line from the device
//         (a flaky cable, a confused board) is dropped frame by frame with a reason while a record
//         still crosses over real pseudo-terminals within seconds; random packets from a rogue
//         transmitter taking a third of the air slow nothing that matters; and after a flood that
//         saturates the channel for a minute (jamming, which no protocol gets through) stops, the
//         link recovers by itself: nothing needs a restart. (How fast a link recovers after a long
//         outage is the radio issue's to improve; here it must be under 90 s.)
// CATCHES: a driver or transport that wedges on garbage and needs a restart to recover.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { SeededRandom } from '../../src/core/util/random';
import { RfChannel } from '../../src/lab/radio-sim/rf-channel';
import { RadioSimulator } from '../../src/lab/radio-sim/simulator';
import { VirtualRadioPort } from '../../src/lab/radio-sim/virtual-radio';
import { realTime } from '../../src/node/clock/real-scheduler';
import { LoraTransport } from '../../src/node/transports/lora/lora-transport';
import { RNodeRadioPort } from '../../src/node/transports/lora/rnode-radio-port';
import { identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';
import { waitFor } from '../support/wait';

const randomBytes = (rng: SeededRandom, n: number) => Uint8Array.from({ length: n }, () => rng.int(0, 255));

describe('the radio link under raw noise', () => {
  const nodes: SimNode[] = [];
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
    for (const c of cleanup.splice(0)) await c();
  });

  it('garbage_on_the_serial_line_is_dropped_with_a_reason_and_records_still_cross', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mandala-serial-noise-'));
    const sim = new RadioSimulator({ nodes: 2, dir, sf: 7, bwHz: 500_000 });
    await sim.start();
    cleanup.push(async () => {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const scheduler = realTime();
    const config = { frequencyHz: 868_100_000, bandwidthHz: 500_000, sf: 7, cr: 5, txPowerDbm: 14 };
    const radio = (i: number, name: string) => new LoraTransport({ radio: new RNodeRadioPort({ path: sim.path(i), config, scheduler, bootWaitMs: 150 }), scheduler, self: identity(name).author, dutyCyclePct: 100 });
    const a = await simNode('serial-noise-a', scheduler, [radio(0, 'serial-noise-a')], { gossipEveryMs: 1000 });
    const b = await simNode('serial-noise-b', scheduler, [radio(1, 'serial-noise-b')], { gossipEveryMs: 1000 });
    nodes.push(a, b);
    const rng = new SeededRandom(3);
    const flood = setInterval(() => sim.injectSerialNoise(1, randomBytes(rng, 512)), 20); // ~25 kB/s of garbage, above the line's rate
    try {
      a.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R', text: 'through serial noise' } }]);
      await waitFor(() => b.store.head(a.node.self)?.seq === a.store.head(a.node.self)?.seq, 'the record across the noisy line', 30_000, 100);
    } finally {
      clearInterval(flood);
    }
    expect(b.node.problems.list().find((p) => p.code === 'serial_framing')?.message, 'the garbage is reported in words').toMatch(/dropped a garbled frame from the radio/);
  });

  it('a_rogue_transmitter_slows_nothing_and_the_link_recovers_by_itself_after_a_jamming_flood', async () => {
    const results: { seed: number; phase: string; ms: number }[] = [];
    for (const seed of [1, 2, 3]) {
      for (const phase of ['interference', 'afterJamming'] as const) {
        const scheduler = new VirtualScheduler();
        const channel = new RfChannel(scheduler, { loss: 0, seed });
        for (const [x, y] of [[0, 1], [1, 0], [2, 0], [2, 1]] as const) channel.setReach(x, y, { rssiDbm: -90, snrDb: 7 });
        const params = { frequencyHz: 868_100_000, bwHz: 500_000, sf: 7, cr: 5 };
        const radio = (i: number, name: string) => new LoraTransport({ radio: new VirtualRadioPort(i, channel, scheduler, params), scheduler, self: identity(name).author, dutyCyclePct: 100 });
        const a = await simNode(`rf-noise-a-${seed}-${phase}`, scheduler, [radio(0, `rf-noise-a-${seed}-${phase}`)]);
        const b = await simNode(`rf-noise-b-${seed}-${phase}`, scheduler, [radio(1, `rf-noise-b-${seed}-${phase}`)]);
        nodes.push(a, b);
        const rogue = new VirtualRadioPort(2, channel, scheduler, params);
        await rogue.start();
        const rng = new SeededRandom(seed);
        // Interference: a random packet every 300 ms (about a third of the air). Jamming: every 100 ms, for 60 s.
        const gap = phase === 'interference' ? 300 : 100;
        const jamEndsAt = phase === 'interference' ? Infinity : scheduler.nowMs() + 60_000;
        const spam = () => {
          if (scheduler.nowMs() > jamEndsAt) return;
          rogue.send(randomBytes(rng, 20 + rng.int(0, 200)));
          scheduler.after(rng.int(gap / 2, gap * 1.5), spam);
        };
        spam();
        scheduler.advance(10_000);
        const writtenAt = scheduler.nowMs();
        a.node.writer.append([{ kind: 'note.add', payload: { record_id: 'R', text: 'through the noise' } }]);
        scheduler.runUntil(() => b.store.head(a.node.self)?.seq === a.store.head(a.node.self)?.seq, 300_000, 100);
        // From the write under interference; from the end of the jamming (or the write, if later) otherwise.
        const from = phase === 'interference' ? writtenAt : Math.min(Math.max(writtenAt, jamEndsAt), scheduler.nowMs());
        results.push({ seed, phase, ms: scheduler.nowMs() - from });
      }
    }
    for (const r of results) expect(r.ms, JSON.stringify(results)).toBeLessThan(r.phase === 'interference' ? 30_000 : 90_000);
  });
});
