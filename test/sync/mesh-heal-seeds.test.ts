// PROVES: the 20-node LoRa mesh of the bench (SF9/125 kHz, 10% duty cycle, 2% loss, six kits and
//         three camps writing while split in two) converges after the partition heals, within 20
//         minutes of virtual time, for channel seeds 1 to 8.
// CATCHES: a livelock in the dense mesh: seeds 2, 5 and 6 (and 7 of 20 in all) never converged in
//          two hours, because a node's neighbours re-sent a kit's feed as one unsigned run (the
//          head did not fit signed with the key spelled out) that it could never authenticate.
import { expect, it } from 'vitest';
import { runMesh } from '../../src/lab/bench/mesh-bench';

const LIMIT_MIN = 20;

it('the_20_node_mesh_converges_after_the_heal_for_seeds_1_to_8', { timeout: 600_000 }, async () => {
  const minutes: (number | null)[] = [];
  for (let seed = 1; seed <= 8; seed++) {
    const r = await runMesh('compact', 60, 2 * 3_600_000, seed, { idle: false });
    minutes.push(r.converged ? Math.round(r.convergeMs / 6_000) / 10 : null);
  }
  console.log(`20-node heal, minutes to converge by seed 1..8: ${minutes.join(' ')}`);
  const slow = minutes.map((m, i) => ({ seed: i + 1, m })).filter(({ m }) => m === null || m > LIMIT_MIN);
  expect(slow, `seeds that converged later than ${LIMIT_MIN} min (null: not within 2 h)`).toEqual([]);
});
