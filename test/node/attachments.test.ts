// PROVES (issue 14, item 5): a file attached to a record, on real SQLite nodes syncing over memory
//         LAN links: its bytes go as chunks into the node's side feed (which stays off the radio)
//         and the record names it by its SHA-256, size and type; a peer sees the attachment in
//         the record and, once the side feed has synced, downloads exactly the same bytes; the
//         same file attached again writes no second copy; an empty, oversized or unknown-record
//         attachment is refused in words with nothing written; forged chunks from another feed
//         (another count, or a whole forged set) never replace the real bytes nor stop them being
//         written; chunks never go in the node's own, radio-carried feed.
// CATCHES: attachments whose bytes would ride the radio, a download of a half-synced file, a
//          peer's bad chunk served as the file.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { BLOB_CHUNK_BYTES, KINDS } from '../../src/core/events/kinds';
import { createHandlers } from '../../src/node/api/handlers';
import { MemoryNetwork } from '../../src/node/transports/memory';
import { FeedBuilder, identity } from '../support/feeds';
import { simNode, type SimNode } from '../support/nodes';

const fail = async (call: () => unknown) => {
  try {
    await call();
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  throw new Error('expected a refusal');
};

describe('record attachments', () => {
  const nodes: SimNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.close();
  });

  it('the_bytes_go_in_the_side_feed_and_a_peer_downloads_the_same_file', async () => {
    const scheduler = new VirtualScheduler();
    const net = new MemoryNetwork({ scheduler, seed: 9 });
    const [camp, depot] = await Promise.all(['camp', 'depot'].map((n) => simNode(n, scheduler, [net.transport(n)], { reportIdentity: identity(`${n}-side`) })));
    nodes.push(camp!, depot!);
    const api = createHandlers(camp!.node.api, 'test');
    await api['records.create']({ recordId: 'DL-7', form: 'delivery' });
    const file = randomBytes(BLOB_CHUNK_BYTES * 3 + 100);
    const attached = await api['records.attach']({ recordId: 'DL-7', name: 'delivery-note.jpg', mime: 'image/jpeg', dataBase64: file.toString('base64') });
    expect(attached.ok).toBe(true);

    // Four chunks in the side feed, one attachment.add in the node's own feed.
    const side = identity('camp-side').author;
    expect(camp!.store.readRange(side, 1, 10).filter((e) => e.kind === KINDS.blobChunk)).toHaveLength(4);
    expect(camp!.store.readRange(identity('camp').author, 1, 10).filter((e) => e.kind === KINDS.attachmentAdd)).toHaveLength(1);
    // The side feed stays off the radio; the node's own feed (with the record) does not.
    const radio = camp!.node.replicator.radioFeeds.frontier();
    expect(radio.has(side)).toBe(false);
    expect(radio.has(identity('camp').author)).toBe(true);

    const listed = (await api['records.list']({})).find((r) => r.recordId === 'DL-7')!;
    const blobHash = camp!.node.api.blobs.hashOf(file);
    expect(listed.attachments).toEqual([{ name: 'delivery-note.jpg', blobHash, size: file.length, mime: 'image/jpeg', chunksHeld: 4, chunks: 4 }]);
    expect(Buffer.from((await api['records.attachment']({ blobHash })).dataBase64, 'base64').equals(file)).toBe(true);

    // Before the peers meet, the depot has neither the record nor the bytes.
    const depotApi = createHandlers(depot!.node.api, 'test');
    expect((await fail(() => depotApi['records.attachment']({ blobHash }))).code).toBe('attachment_not_here');
    net.connect('camp', 'depot');
    scheduler.advance(30_000);
    const there = (await depotApi['records.list']({})).find((r) => r.recordId === 'DL-7')!;
    expect(there.attachments[0]).toMatchObject({ name: 'delivery-note.jpg', blobHash, chunksHeld: 4, chunks: 4 });
    expect(Buffer.from((await depotApi['records.attachment']({ blobHash })).dataBase64, 'base64').equals(file)).toBe(true);

    // The same file again, on another record: named twice, stored once.
    await api['records.create']({ recordId: 'DL-8', form: 'delivery' });
    expect((await api['records.attach']({ recordId: 'DL-8', name: 'copy.jpg', dataBase64: file.toString('base64') })).ok).toBe(true);
    expect(camp!.store.readRange(side, 1, 20).filter((e) => e.kind === KINDS.blobChunk)).toHaveLength(4);
  });

  it('refuses_bad_attachments_in_words_and_never_serves_a_forged_chunk', async () => {
    const scheduler = new VirtualScheduler();
    const camp = await simNode('camp', scheduler, [], { reportIdentity: identity('camp-side') });
    nodes.push(camp);
    const api = createHandlers(camp.node.api, 'test');
    await api['records.create']({ recordId: 'DL-1', form: 'delivery' });
    const before = camp.store.frontier();
    expect(await fail(() => api['records.attach']({ recordId: 'NOPE', name: 'a.txt', dataBase64: 'aGk=' }))).toEqual({ code: 'unknown_record', message: 'there is no record NOPE; create it first' });
    expect((await fail(() => api['records.attach']({ recordId: 'DL-1', name: 'a.txt', dataBase64: '' }))).code).toBe('empty_file');
    const big = await fail(() => api['records.attach']({ recordId: 'DL-1', name: 'video.mp4', dataBase64: Buffer.alloc(3_100_000).toString('base64') }));
    expect(big).toEqual({ code: 'file_too_large', message: 'video.mp4 is 3.1 MB; an attachment may be at most 3.0 MB (photos: send a smaller copy)' });
    expect((await fail(() => api['records.attach']({ recordId: 'DL-1', name: 'a.txt', dataBase64: 'not base64!' }))).code).toBe('bad_request');
    expect(camp.store.frontier()).toEqual(before);

    // Another node's side feed holds chunks with the same name but other bytes, before the real
    // ones: one claiming the file is a single chunk, and a whole forged set of the right count.
    const file = randomBytes(BLOB_CHUNK_BYTES + 10);
    const blobHash = camp.node.api.blobs.hashOf(file);
    const rogue = new FeedBuilder('rogue-side');
    rogue.add(KINDS.blobChunk, { blob_hash: blobHash, index: 0, count: 1, bytes: randomBytes(100) });
    rogue.add(KINDS.blobChunk, { blob_hash: blobHash, index: 0, count: 2, bytes: randomBytes(BLOB_CHUNK_BYTES) });
    rogue.add(KINDS.blobChunk, { blob_hash: blobHash, index: 1, count: 2, bytes: randomBytes(10) });
    expect(camp.node.writer.ingest([rogue.run(1, 3)], null).rejections).toEqual([]);
    expect(camp.node.api.blobs.read(blobHash), 'forged chunks never make the file').toBeNull();
    expect((await api['records.attach']({ recordId: 'DL-1', name: 'photo.bin', dataBase64: file.toString('base64') })).ok).toBe(true);
    expect(Buffer.from(camp.node.api.blobs.read(blobHash)!).equals(file)).toBe(true);
    expect(camp.store.readRange(identity('camp-side').author, 1, 10).filter((e) => e.kind === KINDS.blobChunk), 'the real bytes were written despite the forged set').toHaveLength(2);

    // Chunks never go in the node's own feed (the radio carries it); names longer than a field's are refused before any byte is written.
    expect(camp.node.writer.append([{ kind: KINDS.blobChunk, payload: { blob_hash: blobHash, index: 0, count: 1, bytes: new Uint8Array([1]) } }])[0]).toMatchObject({ ok: false, code: 'wrong_feed' });
    const sideBefore = camp.store.head(identity('camp-side').author)?.seq;
    expect((await fail(() => api['records.attach']({ recordId: 'DL-1', name: `${'x'.repeat(70)}.jpg`, dataBase64: randomBytes(10).toString('base64') }))).code).toBe('bad_request');
    expect(camp.store.head(identity('camp-side').author)?.seq).toBe(sideBefore);
  });
});
