// PROVES: `mandala record attach RID FILE` names the file in the record (name, SHA-256, size, type
//         from the extension) and writes its bytes into the node's side feed; after `mandala
//         sync` over the LAN the other camp holds the same bytes; attaching the same file again
//         writes no second copy; a missing file, an empty one, one over 3 MB and an unknown
//         record are refused with exit 2 and nothing written.
// CATCHES: an attach verb that stores a name without bytes, bytes that do not travel, a refusal
//          that still writes.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BlobStore } from '../../src/node/attachments/blob-store';
import { NodeCrypto } from '../../src/node/crypto/node-crypto';
import { DB_FILE } from '../../src/node/datadir';
import { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import { mandala, mandalaAsync, serve, type Served } from '../support/cli';

const root = mkdtempSync(join(tmpdir(), 'mandala-attach-cli-'));
const running: Served[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

const crypto = new NodeCrypto();
function bytesAt(dir: string, blobHash: string): Buffer | null {
  const store = SqliteFeedStore.open(join(dir, DB_FILE), { crypto, readonly: true });
  try {
    const got = new BlobStore(store, crypto).read(blobHash);
    return got ? Buffer.from(got) : null;
  } finally {
    store.close();
  }
}
/** Events held, summed over the feeds of `mandala frontier`. */
const events = (dir: string) => Object.values(JSON.parse(mandala(['frontier', '--json', '--data', dir]).stdout) as Record<string, number>).reduce((a, b) => a + b, 0);

it('attaches_a_file_whose_bytes_travel_over_the_lan_and_refuses_bad_files', { timeout: 120_000 }, async () => {
  const [camp, depot] = [join(root, 'camp'), join(root, 'depot')];
  mandala(['init', '--data', camp, '--name', 'camp']);
  mandala(['init', '--data', depot, '--name', 'depot']);
  expect(mandala(['record', 'create', 'DL-3', 'delivery', '--data', camp]).code).toBe(0);
  const photo = randomBytes(30_000);
  const file = join(root, 'pod-3.jpg');
  writeFileSync(file, photo);
  const r = mandala(['record', 'attach', 'DL-3', file, '--data', camp]);
  expect(r.code, r.stderr).toBe(0);
  const blobHash = createHash('sha256').update(photo).digest('hex');
  const view = () => JSON.parse(mandala(['view', 'records', '--json', '--data', camp]).stdout)['DL-3'].attachments;
  expect(view()).toEqual([{ field: 'pod-3.jpg', blob_hash: blobHash, size: 30_000, mime: 'image/jpeg' }]);
  expect(bytesAt(camp, blobHash)?.equals(photo)).toBe(true);

  // Again, under another name: named twice, stored once (the side feed does not grow).
  const before = events(camp);
  expect(mandala(['record', 'attach', 'DL-3', file, '--name', 'copy.jpg', '--data', camp]).code).toBe(0);
  expect(events(camp)).toBe(before + 1);

  // Refused with exit 2, nothing written.
  writeFileSync(join(root, 'empty.txt'), '');
  writeFileSync(join(root, 'big.bin'), Buffer.alloc(3_100_000));
  const held = events(camp);
  for (const [args, says] of [
    [['DL-3', join(root, 'nope.jpg')], 'cannot read'],
    [['DL-3', join(root, 'empty.txt')], 'is empty'],
    [['DL-3', join(root, 'big.bin')], 'at most 3.0 MB'],
    [['DL-9', file], 'there is no record DL-9'],
  ] as const) {
    const refused = mandala(['record', 'attach', ...args, '--data', camp]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(says);
  }
  expect(events(camp)).toBe(held);

  // Over the LAN the depot gets the record and the bytes.
  const server = await serve(['--data', camp, '--port', '0', '--no-discover']);
  running.push(server);
  const synced = await mandalaAsync(['sync', '--peer', `127.0.0.1:${server.port}`, '--data', depot]);
  expect(synced.code, synced.stderr).toBe(0);
  expect(JSON.parse(mandala(['view', 'records', '--json', '--data', depot]).stdout)['DL-3'].attachments).toHaveLength(2);
  expect(bytesAt(depot, blobHash)?.equals(photo)).toBe(true);
});
