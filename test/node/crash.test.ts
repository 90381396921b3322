// PROVES: a process killed (SIGKILL) in the middle of ingesting loses nothing it acknowledged:
//         after a restart every acknowledged event is there and every chain verifies.
// CATCHES: acknowledging before commit, torn batches, a WAL that does not recover.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SqliteFeedStore } from '../../src/node/store/sqlite/sqlite-store';
import { crypto, identity } from '../support/feeds';
import { waitFor } from '../support/wait';

it('a_killed_ingest_keeps_every_acknowledged_event_and_the_chains_verify', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mandala-crash-'));
  const db = join(dir, 'mandala.db');
  for (const [round, killAfterAcks] of [[1, 7], [2, 23]] as const) {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/children/ingest-child.ts'), db, `crash-feed-${round}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let acked = 0;
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/ack (\d+)/g)) acked = Math.max(acked, Number(m[1]));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitFor(() => acked >= killAfterAcks * 50 || child.exitCode !== null, 'acknowledgements from the child', 30_000, 5);
    expect(child.exitCode, stderr).toBeNull();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const store = SqliteFeedStore.open(db, { crypto });
    const held = store.head(identity(`crash-feed-${round}`).author)?.seq ?? 0;
    expect(held, `acknowledged ${acked}, held ${held}`).toBeGreaterThanOrEqual(acked);
    expect(held % 50, 'batches land whole or not at all').toBe(0);
    expect(store.verifyChains().problems).toEqual([]);
    store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});
