// PROVES: the fleet verbs as a user runs them: `init --fleet` founds a fleet (this node its first
//         admin), `init --join` makes a node of it, `admit` and `revoke` on the admin replicate
//         through `serve` and `sync`, `info --json` says who is what, and a node outside the
//         fleet is refused (exit 2) and never gets the fleet's events: an open node is told how to
//         join (not_in_fleet), a joined one that no admin admitted how to be admitted
//         (not_admitted); a copy of a node's own folder is told it is talking to itself.
// CATCHES: a fleet that exists only on the admin's disk; a stranger that can sync by knowing the port.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mandala, mandalaAsync, serve, type Served } from '../support/cli';

const root = mkdtempSync(join(tmpdir(), 'mandala-fleet-cli-'));
const running: Served[] = [];
afterAll(async () => {
  for (const s of running) await s.stop();
});

interface Info {
  node: string;
  name: string;
  fleet: { id: string; name: string | null; role: string; members: number; nodes: { node: string; name: string | null; role: string; revoked_after_seq: number | null }[] } | null;
}

const info = (dir: string): Info => JSON.parse(mandala(['info', '--json', '--data', dir]).stdout) as Info;

describe('fleet verbs', () => {
  it('found_join_admit_sync_revoke_and_a_stranger_refused', async () => {
    const HQ = join(root, 'hq');
    const CAMP = join(root, 'camp');
    const STRANGER = join(root, 'stranger');
    const founded = mandala(['init', '--data', HQ, '--name', 'hq', '--fleet', 'Relief North']);
    expect(founded.code, founded.stderr).toBe(0);
    const hq = info(HQ);
    expect(hq.fleet).toMatchObject({ name: 'Relief North', role: 'admin', members: 1 });
    const fleetId = hq.fleet!.id;
    expect(founded.stdout).toContain(`mandala init --join ${fleetId}`);

    expect(mandala(['init', '--data', CAMP, '--name', 'camp', '--join', fleetId]).code).toBe(0);
    const camp = info(CAMP);
    expect(camp.fleet).toMatchObject({ id: fleetId, role: 'not_admitted' });
    expect(mandala(['admit', camp.node, '--data', CAMP]).stderr, 'a member cannot admit').toMatch(/\[not_an_admin\]/);
    const admitted = mandala(['admit', camp.node, '--data', HQ]);
    expect(admitted.code, admitted.stderr).toBe(0);

    const server = await serve(['--data', HQ, '--port', '0']);
    running.push(server);
    const peer = `127.0.0.1:${server.port}`;
    mandala(['record', 'note', 'R-1', 'from the camp', '--data', CAMP]);
    const synced = await mandalaAsync(['sync', '--peer', peer, '--data', CAMP]);
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    expect(info(CAMP).fleet).toMatchObject({ name: 'Relief North', role: 'member', members: 2 });
    expect(info(CAMP).fleet!.nodes).toEqual([
      { node: hq.node, name: 'hq', role: 'admin', revoked_after_seq: null },
      { node: camp.node, name: 'camp', role: 'member', revoked_after_seq: null },
    ].sort((a, b) => (a.node < b.node ? -1 : 1)));

    expect(mandala(['init', '--data', STRANGER, '--name', 'stranger']).code).toBe(0);
    mandala(['record', 'note', 'R-1', 'let me in', '--data', STRANGER]);
    const refused = await mandalaAsync(['sync', '--peer', peer, '--data', STRANGER, '--timeout', '20']);
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/hq .* belongs to a fleet, and this node is open .*mandala init --join FLEET_ID.*\[not_in_fleet\]/);
    const strangerFrontier = JSON.parse(mandala(['frontier', '--json', '--data', STRANGER]).stdout) as Record<string, number>;
    expect(strangerFrontier[hq.node], 'the stranger got none of the fleet\'s events').toBeUndefined();

    const LATE = join(root, 'late');
    expect(mandala(['init', '--data', LATE, '--name', 'late', '--join', fleetId]).code).toBe(0);
    const late = await mandalaAsync(['sync', '--peer', peer, '--data', LATE, '--timeout', '20']);
    expect(late.code, late.stdout + late.stderr).toBe(2);
    expect(late.stderr).toMatch(/hq .*refused this node: it is not admitted to its fleet.*mandala admit [0-9a-f]{64}.*\[not_admitted\]/);

    // Revoked on the admin: the revocation reaches the other members, and the revoked camp is told.
    const OTHER = join(root, 'other');
    expect(mandala(['init', '--data', OTHER, '--name', 'other', '--join', fleetId]).code).toBe(0);
    expect(mandala(['admit', info(OTHER).node, '--data', HQ]).code).toBe(0);
    await server.stop();
    const COPY = join(root, 'hq-copy');
    cpSync(HQ, COPY, { recursive: true });
    expect(mandala(['revoke', hq.node, '--data', HQ]).stderr, 'the last admin cannot be revoked').toMatch(/\[last_admin\]/);
    const revoked = mandala(['revoke', camp.node, '--data', HQ]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const again = await serve(['--data', HQ, '--port', '0']);
    running.push(again);
    expect((await mandalaAsync(['sync', '--peer', `127.0.0.1:${again.port}`, '--data', OTHER])).code).toBe(0);
    expect(mandala(['info', '--data', OTHER]).stdout).toMatch(new RegExp(`${camp.node.slice(0, 8)} camp revoked after seq \\d+`));
    const told = await mandalaAsync(['sync', '--peer', `127.0.0.1:${again.port}`, '--data', CAMP, '--timeout', '20']);
    expect(told.stderr).toMatch(/\[revoked\]/);
    const itself = await mandalaAsync(['sync', '--peer', `127.0.0.1:${again.port}`, '--data', COPY, '--timeout', '20']);
    expect(itself.code, itself.stdout + itself.stderr).toBe(2);
    expect(itself.stderr).toMatch(/has this node's own identity: it is this node, or a copy of its data folder.*\[self_connection\]/);
    await again.stop();
  });
});
