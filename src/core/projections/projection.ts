// A projection is a pure fold from the event set to state. The same set gives the same state,
// the same canonical bytes and the same output hash, whatever order the events arrived in:
// `apply` must be order-independent, and `view` returns canonical (sorted) state.
import { hashCanonical, type Value } from '../encoding/canonical';
import { toHex } from '../encoding/bytes';
import type { Hasher } from '../crypto/ports';
import type { FeedEvent } from '../events/event';
import type { DecodedPayload } from '../events/payloads';
import type { PushTopic } from '../../shared/api';

export interface Finding {
  readonly code: string;
  readonly message: string;
}

/** Anything the live fold feeds events to: a projection, or a node-local fold (names, latch). */
export interface Fold {
  /** Every event kind that can change its output (a projection's source refs), sorted. */
  readonly sources: readonly string[];
  /** The console topic whose data it feeds, pushed when one of its sources was folded. */
  readonly topic: PushTopic;
  /** Folds one event; `payload` is the event's payload decoded once (decoded here if absent). */
  apply(event: FeedEvent, payload?: DecodedPayload): void;
}

export interface Projection extends Fold {
  readonly id: string;
  /** Bumped when the fold changes, so cached state from an older fold is never reused. */
  readonly version: number;
  /** The event kinds this projection folds itself (its sources may include kinds it only reads). */
  readonly kinds: readonly string[];
  /** Canonical state: maps with sorted keys, arrays in a defined order. */
  view(): Value;
  /**
   * Output versions whose hash this build can re-derive (a report names the one it was made
   * with); absent: only `version`.
   */
  readonly outputVersions?: readonly number[];
  /**
   * The output hash of `version` (default: this build's) without building the whole view. Absent:
   * the output hash is outputHash(view()).
   */
  hashOutput?(hasher: Hasher, version?: number): Uint8Array;
  /**
   * Does part of the next output hash's work ahead of it while `more()` says so, and returns how
   * much is left (0: the hash is now cheap). For a caller that spreads a large hash over turns.
   */
  prepareHash?(hasher: Hasher, more: () => boolean): number;
  /** Events seen but not folded (malformed payloads from peers), with why. */
  findings(): readonly Finding[];
}

export function outputHash(view: Value, hasher: Hasher): string {
  return toHex(hashCanonical(view, hasher));
}

/** A projection's output hash (of `version`, default this build's), without the whole view when it can be. */
export function projectionOutputHash(p: Projection, hasher: Hasher, version = p.version): string {
  return p.hashOutput ? toHex(p.hashOutput(hasher, version)) : outputHash(p.view(), hasher);
}

/** Whether this build can re-derive the output of a report made with `version`. */
export function canRederive(p: Projection, version: number): boolean {
  return (p.outputVersions ?? [p.version]).includes(version);
}
