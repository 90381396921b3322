// PROVES: any store's output cache returns the newest output saved for exactly that projection
//         and version, byte for byte, also after pruning and a restart.
// CATCHES: a cached output of another projection or fold version served as this one; an older
//          output served as the newest.
import { describe, expect, it } from 'vitest';
import { NOW, withStore, type MakeHarness } from './harness';

const row = (position: number) => ({ createdAtMs: NOW + position, position, entry: new Uint8Array([position, 1, 2, 3]) });

export function runOutputCacheSuite(name: string, persistent: boolean, make: MakeHarness): void {
  describe(`OutputCache acceptance: ${name}`, () => {
    it('the_newest_output_of_that_projection_and_version_comes_back_byte_identical', withStore(make, ({ store }) => {
      expect(store.latestCachedOutput('records', 1)).toBeNull();
      store.saveCachedOutput('records', 1, row(5), 3);
      store.saveCachedOutput('records', 1, row(9), 3);
      store.saveCachedOutput('fleet', 1, row(11), 3);
      store.saveCachedOutput('records', 2, row(13), 3);
      const back = store.latestCachedOutput('records', 1)!;
      expect({ ...back, entry: [...back.entry] }).toEqual({ createdAtMs: NOW + 9, position: 9, entry: [9, 1, 2, 3] });
      expect(store.latestCachedOutput('fleet', 1)!.position).toBe(11);
      expect(store.latestCachedOutput('records', 2)!.position).toBe(13);
      expect(store.latestCachedOutput('conflicts', 1)).toBeNull();
    }));

    it('the_newest_output_is_returned_after_pruning_and_a_restart', withStore(make, (h) => {
      for (const p of [1, 2, 3, 4, 5]) h.store.saveCachedOutput('records', 1, row(p), 2);
      expect(h.store.latestCachedOutput('records', 1)!.position).toBe(5);
      if (persistent) expect(h.reopen!().latestCachedOutput('records', 1)!.position).toBe(5);
    }));
  });
}
