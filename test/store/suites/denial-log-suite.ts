// PROVES: any store's denial log keeps what the gates refused, newest first, bounded by the limit
//         asked for, across a restart where the store is durable.
// CATCHES: denials lost, reordered, or returned without bound.
import { describe, expect, it } from 'vitest';
import { withStore, type MakeHarness } from './harness';

export function runDenialLogSuite(name: string, persistent: boolean, make: MakeHarness): void {
  describe(`DenialLog acceptance: ${name}`, () => {
    it('denials_are_recorded_newest_first', withStore(make, ({ store }) => {
      store.recordDenial({ atMs: 1, gate: 'schema', code: 'schema_invalid', message: 'first', kind: 'x' });
      store.recordDenial({ atMs: 2, gate: 'schema', code: 'schema_invalid', message: 'second', kind: 'x' });
      expect(store.denials(10).map((d) => d.message)).toEqual(['second', 'first']);
    }));

    it('the_limit_returns_only_the_newest_denials', withStore(make, ({ store }) => {
      for (let i = 1; i <= 5; i++) store.recordDenial({ atMs: i, gate: 'schema', code: 'bad_payload', message: `m${i}`, kind: 'truck.position' });
      expect(store.denials(2)).toEqual([
        { atMs: 5, gate: 'schema', code: 'bad_payload', message: 'm5', kind: 'truck.position' },
        { atMs: 4, gate: 'schema', code: 'bad_payload', message: 'm4', kind: 'truck.position' },
      ]);
    }));

    if (!persistent) return;
    it('denials_survive_a_restart', withStore(make, (h) => {
      h.store.recordDenial({ atMs: 7, gate: 'schema', code: 'bad_payload', message: 'kept', kind: 'x' });
      expect(h.reopen!().denials(10).map((d) => d.message)).toEqual(['kept']);
    }));
  });
}
