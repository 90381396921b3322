// A projection is a pure fold from the event set to state. The same set gives the same state,
// the same canonical bytes and the same output hash, whatever order the events arrived in:
// `apply` must be order-independent, and `view` returns canonical (sorted) state.
import { hashCanonical, type Value } from '../encoding/canonical';
import { toHex } from '../encoding/bytes';
import type { Hasher } from '../crypto/ports';
import type { FeedEvent } from '../events/event';

export interface Finding {
  readonly code: string;
  readonly message: string;
}

export interface Projection {
  readonly id: string;
  /** Bumped when the fold changes, so cached state from an older fold is never reused. */
  readonly version: number;
  /** The event kinds this projection folds itself. */
  readonly kinds: readonly string[];
  /** Every event kind that can change its output (its source refs), sorted. */
  readonly sources: readonly string[];
  apply(event: FeedEvent): void;
  /** Canonical state: maps with sorted keys, arrays in a defined order. */
  view(): Value;
  /** Events seen but not folded (malformed payloads from peers), with why. */
  findings(): readonly Finding[];
}

export function outputHash(view: Value, hasher: Hasher): string {
  return toHex(hashCanonical(view, hasher));
}
