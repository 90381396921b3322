// PROVES: one byte flipped inside a stored event (bit rot that SQLite's integrity_check does not
//         see) is found by the background scrub in a worker thread, is never served to a peer,
//         and is put back from a peer's sound copy, after which the node's views equal its peer's.
// CATCHES: a node that shows and relays a damaged event as if it were sound.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { realTime } from '../../src/node/clock/real-scheduler';
import { stableJson } from '../../src/node/api/dto';
import { LanTransport } from '../../src/node/transports/lan/lan-transport';
import { WorkerPool } from '../../src/node/workers/worker-pool';
import { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import { crypto, identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';
import { waitFor } from '../support/wait';

describe('bit rot', () => {
  const nodes: SimNode[] = [];
  const pools: WorkerPool[] = [];
  const transports: LanTransport[] = [];
  afterEach(async () => {
    for (const t of transports.splice(0)) await t.stop();
    for (const n of nodes.splice(0)) await n.close();
    for (const p of pools.splice(0)) await p.close();
  });

  it('a_flipped_byte_is_found_by_the_scrub_never_served_and_repaired_from_a_peer', async () => {
    const scheduler = realTime();
    const lan = (label: string, listen = false) => {
      const t = new LanTransport({ scheduler, keyPair: identity(label).handshakeKeyPair(), ...(listen ? { listen: { host: '127.0.0.1', port: 0 } } : {}) });
      transports.push(t);
      return t;
    };
    // The source writes; the keeper holds a copy (then its disk rots).
    const sourceLan = lan('rot-source', true);
    const source = await simNode('rot-source', scheduler, [sourceLan], { gossipEveryMs: 200, pushThrottleMs: 20 });
    nodes.push(source);
    source.node.writer.append([
      { kind: 'record.create', payload: { record_id: 'DL-9', form: 'delivery' } },
      { kind: 'field.set', payload: { record_id: 'DL-9', field: 'status', value: 'loaded at the depot' } },
      { kind: 'note.add', payload: { record_id: 'DL-9', text: 'driver confirmed by radio' } },
    ]);
    const keeperLan = lan('rot-keeper');
    const keeper = await simNode('rot-keeper', scheduler, [keeperLan], { gossipEveryMs: 200, pushThrottleMs: 20 });
    const link = await keeperLan.dial(`127.0.0.1:${sourceLan.boundPort}`);
    const author = source.node.self;
    await waitFor(() => keeper.store.head(author)?.seq === source.store.head(author)?.seq, 'the keeper to hold the source feed');
    link.close();
    const dbPath = (keeper.store as unknown as { path: string }).path;
    await keeper.node.stop();
    keeper.store.close();

    // Rot: one byte inside the note's text changes; the row, the page and the index stay valid.
    const db = new Database(dbPath);
    const row = db.prepare(`SELECT e.pos, e.bytes FROM events e JOIN authors a USING (author_id) WHERE a.key = ? AND e.kind = 'note.add'`).get(author) as { pos: number; bytes: Buffer };
    const rotten = Buffer.from(row.bytes);
    const at = rotten.indexOf(Buffer.from('radio'));
    rotten[at] = rotten[at]! ^ 0x20; // 'radio' -> 'Radio'
    db.prepare('UPDATE events SET bytes = ? WHERE pos = ?').run(rotten, row.pos);
    expect(db.pragma('integrity_check', { simple: true }), 'SQLite sees nothing wrong').toBe('ok');
    db.close();

    // The scrub, in a worker thread, names the damaged event.
    const pool = new WorkerPool({ maxThreads: 1 });
    pools.push(pool);
    const scrub = await pool.run('scrub', { dbPath });
    expect(scrub.damaged).toEqual([expect.objectContaining({ author, code: 'id_mismatch' })]);
    const damagedSeq = scrub.damaged[0]!.seq;

    // The keeper restarts with the scrub on: it stops serving the event and takes it back from the source.
    const reopened = SqliteFeedStore.open(dbPath, { crypto });
    const keeperLan2 = lan('rot-keeper');
    const healed = await simNode('rot-keeper', scheduler, [keeperLan2], { gossipEveryMs: 200, pushThrottleMs: 20, store: reopened, workers: { pool, dbPath, firstAfterMs: 0 } });
    nodes.push(healed);
    await waitFor(() => healed.node.problems.list().some((p) => p.code === 'event_damaged'), 'the scrub to report the damage');
    expect(healed.node.replicator.allFeeds.frontier().get(author)?.seq, 'the damaged event is not offered to peers').toBe(damagedSeq - 1);
    await keeperLan2.dial(`127.0.0.1:${sourceLan.boundPort}`);
    await waitFor(() => healed.node.problems.list().some((p) => p.code === 'event_repaired'), 'the repair from the source');
    expect((await pool.run('scrub', { dbPath })).damaged, 'sound again').toEqual([]);
    // Folded again in the worker, from the first event: the node says so once the new fold serves.
    await waitFor(() => healed.node.problems.list().some((p) => p.code === 'events_repaired'), 'the projections folded again');
    expect(stableJson(healed.node.live.state.projections.records.view())).toBe(stableJson(source.node.live.state.projections.records.view()));
    expect(healed.node.live.state.startedFrom, 'the new fold starts from the checkpoint the worker made').not.toBeNull();
    await healed.node.stop();
    reopened.close();
  });
});
