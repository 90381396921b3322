// PROVES: evidence reports live in a node's report feed (its own key, declared in its profile),
//         replicate over the LAN, and stay off the radio: a radio neighbour converges on every
//         other feed, its radio digest agrees, and it never receives the report feed; the report
//         is still verifiable where it lands. Report events may be larger than other events.
// CATCHES: reports eating rationed airtime, a radio digest that never agrees because one side
//          counts report feeds, or reports that no longer replicate at all.
import { afterEach, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { bytesEqual } from '../../src/core/encoding/bytes';
import { encodeEventBody, MAX_EVENT_BYTES, MAX_REPORT_EVENT_BYTES, openEvent } from '../../src/core/events/event';
import { RfChannel } from '../../src/lab/radio-sim/rf-channel';
import { LoraTransport } from '../../src/node/transports/lora/lora-transport';
import { MemoryNetwork } from '../../src/node/transports/memory';
import { VirtualRadioPort } from '../../src/lab/radio-sim/virtual-radio';
import { crypto, identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';

const nodes: SimNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.close();
});

it('reports_replicate_over_the_lan_and_never_over_the_radio', async () => {
  const scheduler = new VirtualScheduler();
  const channel = new RfChannel(scheduler, { loss: 0, seed: 5 });
  for (const [x, y] of [[0, 1], [1, 0]] as const) channel.setReach(x, y, { rssiDbm: -95, snrDb: 6 });
  const params = { frequencyHz: 868_100_000, bwHz: 125_000, sf: 9, cr: 5 };
  const radio = (i: number, name: string) => new LoraTransport({ radio: new VirtualRadioPort(i, channel, scheduler, params), scheduler, self: identity(name).author, dutyCyclePct: 10, beaconEveryMs: 60_000 });
  const lan = new MemoryNetwork({ scheduler, seed: 3, latencyMs: [5, 20] });
  const reports = identity('camp-a/reports');
  const a = await simNode('camp-a', scheduler, [radio(0, 'camp-a'), lan.transport('camp-a')], { reportIdentity: reports });
  const b = await simNode('truck-b', scheduler, [radio(1, 'truck-b')]);
  const c = await simNode('camp-c', scheduler, [lan.transport('camp-c')]);
  nodes.push(a, b, c);
  lan.connect('camp-a', 'camp-c');

  a.node.writer.append([{ kind: 'field.set', payload: { record_id: 'DL-7', field: 'status', value: 'loading' } }]);
  const made = await a.node.evidence.create('records', { kind: 'consistent' });
  expect(made.stored?.author).toBe(reports.author);
  expect(made.message).toContain("this node's report feed");
  expect(a.node.live.nameOf(reports.author)).toBe('camp-a (reports)');
  expect(a.node.replicator.radioFeeds.isReportFeed(reports.author)).toBe(true);
  expect(a.node.replicator.radioFeeds.isReportFeed(a.node.self)).toBe(false);

  const synced = () =>
    b.store.head(a.node.self)?.seq === a.store.head(a.node.self)?.seq &&
    c.store.head(reports.author)?.seq === 1 &&
    bytesEqual(a.node.replicator.radioFeeds.digest(), b.node.replicator.radioFeeds.digest());
  const took = scheduler.runUntil(synced, 3_600_000, 1000);
  expect(synced(), `not converged after ${took} ms of virtual time`).toBe(true);
  // Let the radio run on: the report feed still never crosses it.
  scheduler.advance(10 * 60_000);
  expect(b.store.head(reports.author)).toBeNull();
  expect(b.node.live.state.projections.records.view()).toEqual(a.node.live.state.projections.records.view());
  // The full digests differ (A holds a feed B does not) while the radio ones agree.
  expect(bytesEqual(a.node.replicator.digest(), b.node.replicator.digest())).toBe(false);

  // Over the LAN the report arrived whole, named after its node, and verifies there.
  const atC = c.node.evidence.list().reports;
  expect(atC.map((r) => r.report.bodyHash)).toEqual([made.report.bodyHash]);
  expect(c.node.live.nameOf(reports.author)).toBe('camp-a (reports)');
  expect(await c.node.evidence.verify(atC[0]!.report)).toMatchObject({ verdict: 'valid' });
}, 60_000);

it('a_report_event_may_be_larger_than_other_events_up_to_its_own_limit', () => {
  const author = identity('sizes').author;
  const body = (kind: string, bytes: number) => ({ author, seq: 1, prev: null, hlc: { wall: 1, counter: 0 }, kind, payload: { blob: 'x'.repeat(bytes) } });
  expect(() => encodeEventBody(body('note.add', MAX_EVENT_BYTES))).toThrow(/note\.add event is \d+ bytes; the limit is 16384/);
  const big = encodeEventBody(body('report.created', MAX_EVENT_BYTES * 4));
  expect(openEvent(big, crypto).kind).toBe('report.created');
  expect(() => encodeEventBody(body('report.created', MAX_REPORT_EVENT_BYTES))).toThrow(/event_too_large|limit is 262144/);
  // A peer cannot pass an oversized event of another kind by its length alone.
  const disguised = encodeEventBody(body('report.created', MAX_EVENT_BYTES * 2));
  const asNote = new TextEncoder().encode('note.add');
  const at = Buffer.from(disguised).indexOf(Buffer.from('report.created'));
  const forged = new Uint8Array(disguised.length - 6);
  forged.set(disguised.subarray(0, at - 1));
  forged[at - 1] = 0x60 | asNote.length; // canonical text header for an 8-byte string
  forged.set(asNote, at);
  forged.set(disguised.subarray(at + 'report.created'.length), at + asNote.length);
  expect(() => openEvent(forged, crypto)).toThrow(/note\.add event is \d+ bytes; the limit is 16384/);
});
