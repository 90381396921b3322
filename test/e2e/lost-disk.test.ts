// PROVES: with real data folders and real `mandala` processes, a node whose database lost events
//         it had signed (an emptied database, a deleted WAL) refuses to write (own_feed_behind),
//         says how to recover, takes its events back from a peer (`mandala recover`, or by itself
//         when serving with --peer) and then writes the next seq: it never signs a seq twice, so
//         its peers never see it fork and never quarantine it.
//         When no peer holds the lost events, `info` still names the node, read-only verbs say the
//         database was lost (not "nothing yet"), `serve` warns at once, and `recover --accept-loss`
//         lets the operator write on, warned of what that risks.
// CATCHES: a node that silently recreates its database, signs its profile as seq 1 again and
//          gets itself quarantined by the whole mesh.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mandala, mandalaAsync, serve, type Served } from '../support/cli';
import { waitFor } from '../support/wait';

const root = mkdtempSync(join(tmpdir(), 'mandala-lost-disk-'));
const running: Served[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

// The waits below are guards, not speed checks: each poll spawns a CLI process, and on a loaded
// 2-core machine (the whole suite at once) a recovery took more than 20 s of them.
function frontier(dir: string): Record<string, number> {
  const r = mandala(['frontier', '--json', '--data', dir]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, number>;
}

function nodeId(dir: string): string {
  return /node \S+ ([0-9a-f]{64})/.exec(mandala(['init', '--data', dir]).stdout)![1]!;
}

function removeDatabase(dir: string): void {
  for (const f of ['mandala.db', 'mandala.db-wal', 'mandala.db-shm']) rmSync(join(dir, f), { force: true });
}

describe('a node that lost its disk', () => {
  it('an_emptied_database_refuses_writes_recovers_from_a_peer_and_never_reuses_a_seq', async () => {
    const A = join(root, 'a');
    const B = join(root, 'b');
    expect(mandala(['init', '--data', A, '--name', 'camp-a']).code).toBe(0);
    expect(mandala(['init', '--data', B, '--name', 'camp-b']).code).toBe(0);
    const a = nodeId(A);
    for (const text of ['one', 'two', 'three']) expect(mandala(['record', 'note', 'R-1', text, '--data', A]).code).toBe(0);
    const b = await serve(['--data', B, '--port', '0']);
    running.push(b);
    expect((await mandalaAsync(['sync', '--peer', `127.0.0.1:${b.port}`, '--data', A])).code).toBe(0);
    const signed = frontier(A)[a]!;

    // The disk is wiped: the database goes (an empty file is left where it was).
    removeDatabase(A);
    writeFileSync(join(A, 'mandala.db'), '');
    const refused = mandala(['record', 'note', 'R-1', 'four', '--data', A]);
    expect(refused.code, 'a write to a feed behind what this node signed is refused').toBe(2);
    expect(refused.stderr).toMatch(/created anew.*signed \d+ events/);
    expect(refused.stderr).toMatch(new RegExp(`signed events up to seq ${signed}.*mandala recover --peer[\\s\\S]*\\[own_feed_behind\\]`));
    expect(frontier(A)[a], 'nothing of its own was written').toBeUndefined();

    const recovered = await mandalaAsync(['recover', '--peer', `127.0.0.1:${b.port}`, '--data', A]);
    expect(recovered.code, recovered.stderr + recovered.stdout).toBe(0);
    expect(recovered.stdout).toMatch(new RegExp(`recovered from camp-b: this node's feed is whole \\(seq ${signed}, ${signed} events taken back\\)`));

    const written = mandala(['record', 'note', 'R-1', 'four', '--data', A]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout, 'the next seq, not a reused one').toMatch(new RegExp(`^${a.slice(0, 8)}#${signed + 1} `));
    const again = await mandalaAsync(['sync', '--peer', `127.0.0.1:${b.port}`, '--data', A]);
    expect(again.code, `the peer accepted the feed (no fork): ${again.stdout}${again.stderr}`).toBe(0);
    const conflicts = JSON.parse(mandala(['view', 'conflicts', '--json', '--data', B]).stdout) as { entries: { kind: string }[] };
    expect(conflicts.entries.filter((e) => e.kind === 'fork')).toEqual([]);
    await b.stop();
  });

  it('a_deleted_wal_is_caught_and_serving_with_a_peer_recovers_by_itself', async () => {
    const A = join(root, 'wal-a');
    const B = join(root, 'wal-b');
    expect(mandala(['init', '--data', A, '--name', 'kit-a']).code).toBe(0);
    const a = nodeId(A);
    const b = await serve(['--data', B, '--port', '0', '--name', 'camp-b']);
    running.push(b);
    // A serves (holding its database open), syncing with B; CLI writes land in A's WAL meanwhile.
    const served = await serve(['--data', A, '--port', '0', '--peer', `127.0.0.1:${b.port}`]);
    running.push(served);
    for (const text of ['w1', 'w2', 'w3']) expect(mandala(['record', 'note', 'R-2', text, '--data', A]).code).toBe(0);
    const head = Number(/#(\d+) /.exec(mandala(['record', 'note', 'R-2', 'w4', '--data', A]).stdout)![1]);
    await waitFor(() => frontier(B)[a] === head, 'B to hold all of A', 60_000, 200);
    served.child.kill('SIGKILL');
    await new Promise((r) => served.child.once('exit', r));
    expect(existsSync(join(A, 'mandala.db-wal')), 'the writes are still in the WAL').toBe(true);
    rmSync(join(A, 'mandala.db-wal'));
    rmSync(join(A, 'mandala.db-shm'), { force: true });

    const held = frontier(A)[a] ?? 0;
    expect(held, 'the deleted WAL took acknowledged events with it').toBeLessThan(head);
    const refused = mandala(['record', 'note', 'R-2', 'w5', '--data', A]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/\[own_feed_behind\]/);

    // Serving with its peer, the node takes its events back, then writes again.
    const back = await serve(['--data', A, '--port', '0', '--peer', `127.0.0.1:${b.port}`]);
    running.push(back);
    await waitFor(() => frontier(A)[a] === head, 'A to recover its feed from B', 60_000, 200);
    const next = mandala(['record', 'note', 'R-2', 'w5', '--data', A]);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(new RegExp(`#${head + 1} `));
    await waitFor(() => frontier(B)[a] === head + 1, 'B to accept the next event (no fork)', 60_000, 200);
    await back.stop();
    await b.stop();
  });

  it('with_no_peer_holding_the_lost_events_the_node_says_so_and_can_accept_the_loss', async () => {
    const C = join(root, 'alone');
    expect(mandala(['init', '--data', C, '--name', 'kit-alone']).code).toBe(0);
    const c = nodeId(C);
    for (const text of ['x1', 'x2']) expect(mandala(['record', 'note', 'R-3', text, '--data', C]).code).toBe(0);
    removeDatabase(C);

    const info = mandala(['info', '--json', '--data', C]);
    expect(info.code, `info names the node without its store: ${info.stderr}`).toBe(0);
    expect((JSON.parse(info.stdout) as { node: string }).node).toBe(c);
    expect(info.stderr).toMatch(/lost its event database .*had signed \d+ events/);
    const looked = mandala(['frontier', '--json', '--data', C]);
    expect(looked.code).toBe(2);
    expect(looked.stderr).toMatch(/lost its event database.*mandala recover --peer HOST:PORT.*\[store_missing\]/);

    const served = await serve(['--data', C, '--port', '0']);
    running.push(served);
    await waitFor(() => /warning: .*\[own_feed_behind\]/.test(served.output()), 'serve to warn at start that the feed must be recovered');
    await served.stop();

    const bare = mandala(['recover', '--data', C]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--peer HOST:PORT.*--accept-loss/);
    const accepted = mandala(['recover', '--accept-loss', '--data', C]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stderr).toMatch(/given up for good.*forks its feed/);
    expect(accepted.stdout).toMatch(/accepted the loss: this node writes on from seq \d+/);
    const written = mandala(['record', 'note', 'R-3', 'x3', '--data', C]);
    expect(written.code, written.stderr).toBe(0);
    expect(mandala(['recover', '--accept-loss', '--data', C]).stdout).toMatch(/nothing to recover/);
  });
});
