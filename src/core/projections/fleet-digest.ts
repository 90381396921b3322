// The fleet's output hash, versions 2 and 3 (3 hashes the version-3 view of each fix, which
// names its accuracy and historical mark; V below is the version): a digest per truck, chained
// over blocks of its trail, and a root over the trucks' digests. A report then costs in proportion to what changed since the
// last one: a truck whose trail did not change keeps its digest, and a fix appended to a trail
// re-hashes only its last, partial block. (Version 1 hashed the whole view as one stream, so
// every report re-encoded every fix of the season.)
//
// The definition, over the fleet's canonical view ({trucks: {id: {current, fixes}}}):
//   seed(id)      = SHA-256(canonical(["mandala/fleet/V", id]))
//   chain_0       = seed(id); chain_j+1 = SHA-256(chain_j || canonical(fix) for the j-th block of
//                   BLOCK fixes, in trail order)
//   digest(id)    = SHA-256(chain_K || canonical(fix) for the fixes after the K complete blocks
//                   || canonical([fix count, index of the current fix or -1]))
//   output hash   = SHA-256(canonical(["mandala/fleet/V", truck count]) || canonical(id) ||
//                   digest(id) for each truck, ids in canonical key order)
// `fleetHashFromView` computes it from the view alone: the reference the incremental one is
// tested against, and what a reviewer can re-implement from this comment.
import { sortCanonicalKeys, writeCanonical, type Value } from '../encoding/canonical';
import type { ByteWriter } from '../encoding/writer';
import { digestOf, keyedRoot } from './digest-stream';
import type { Hasher } from '../crypto/ports';

/** Fixes per chained block. */
export const FLEET_HASH_BLOCK = 64;
/** The output version this build makes. */
export const FLEET_DIGEST_VERSION = 3;

function tagOf(version: number): string {
  return `mandala/fleet/${version}`;
}

/** What the digest reads of a trail: its views in trail order, and where they last changed. */
export interface DigestSource {
  readonly size: number;
  /** Appends the canonical views of fixes [from, to) to `w`. */
  writeViews(w: ByteWriter, from: number, to: number): void;
  /** The index of the current (latest plausible) fix, or -1. */
  currentIndex(): number;
  /** The lowest index whose view may have changed since the last call (Infinity: none). */
  takeChangedFrom(): number;
}

function seed(id: string, hasher: Hasher, version: number): Uint8Array {
  return digestOf(hasher, (w) => writeCanonical(w, [tagOf(version), id]));
}

/** One truck's digest, kept up to date block by block. */
export class TrailDigest {
  /** The chain after each complete block (blocks past a change are dropped). */
  private blocks: Uint8Array[] = [];
  private digest: Uint8Array | null = null;
  private seedBytes: Uint8Array | null = null;

  constructor(
    private readonly id: string,
    private readonly version = FLEET_DIGEST_VERSION,
  ) {}

  /** Drops what a change in the trail made stale. */
  invalidate(source: DigestSource): void {
    const from = source.takeChangedFrom();
    if (from === Infinity) return;
    this.digest = null;
    const keep = Math.floor(from / FLEET_HASH_BLOCK);
    if (this.blocks.length > keep) this.blocks.length = keep;
  }

  /** The digest, if it is up to date with the last `invalidate`. */
  get current(): Uint8Array | null {
    return this.digest;
  }

  /**
   * Hashes blocks while `more()` says so, then the digest. True when the digest is done; false
   * when `more()` stopped it first (call again to go on from there).
   */
  advance(source: DigestSource, hasher: Hasher, more: () => boolean): boolean {
    this.invalidate(source);
    if (this.digest) return true;
    const n = source.size;
    const complete = Math.floor(n / FLEET_HASH_BLOCK);
    this.seedBytes ??= seed(this.id, hasher, this.version);
    while (this.blocks.length < complete) {
      if (!more()) return false;
      const j = this.blocks.length;
      const prev = j === 0 ? this.seedBytes : this.blocks[j - 1]!;
      this.blocks.push(
        digestOf(hasher, (w) => {
          w.bytes(prev);
          source.writeViews(w, j * FLEET_HASH_BLOCK, (j + 1) * FLEET_HASH_BLOCK);
        }),
      );
    }
    const chain = complete === 0 ? this.seedBytes : this.blocks[complete - 1]!;
    this.digest = digestOf(hasher, (w) => {
      w.bytes(chain);
      source.writeViews(w, complete * FLEET_HASH_BLOCK, n);
      writeCanonical(w, [n, source.currentIndex()]);
    });
    return true;
  }

  /** The state a checkpoint keeps: the digest, then the complete blocks' chains. */
  export(): { digest: Uint8Array; blocks: readonly Uint8Array[] } {
    if (!this.digest) throw new Error(`fleet digest of ${this.id} is not up to date`);
    return { digest: this.digest, blocks: this.blocks };
  }

  /** Takes a checkpoint's state for a trail loaded from the same checkpoint. */
  load(digest: Uint8Array, blocks: Uint8Array[], source: DigestSource): void {
    source.takeChangedFrom();
    this.digest = digest;
    this.blocks = blocks;
  }
}

/** The output hash from the trucks' digests (ids in canonical key order). */
export function fleetRoot(ids: readonly string[], truckDigest: (id: string) => Uint8Array, hasher: Hasher, version = FLEET_DIGEST_VERSION): Uint8Array {
  return keyedRoot(tagOf(version), ids, truckDigest, hasher);
}

/** The same output hash computed from the canonical view alone (the reference definition). */
export function fleetHashFromView(view: Value, hasher: Hasher, version = FLEET_DIGEST_VERSION): Uint8Array {
  const trucks = (view as { trucks: Record<string, { fixes: Value[] }> }).trucks;
  const ids = sortCanonicalKeys(Object.keys(trucks));
  const digests = new Map<string, Uint8Array>();
  for (const id of ids) {
    const fixes = trucks[id]!.fixes;
    let current = -1;
    fixes.forEach((f, i) => {
      if ((f as Record<string, Value | undefined>)['flag'] === undefined) current = i;
    });
    const source: DigestSource = {
      size: fixes.length,
      writeViews: (w, from, to) => {
        for (let i = from; i < to; i++) writeCanonical(w, fixes[i]!);
      },
      currentIndex: () => current,
      takeChangedFrom: () => Infinity,
    };
    const d = new TrailDigest(id, version);
    d.advance(source, hasher, () => true);
    digests.set(id, d.current!);
  }
  return fleetRoot(ids, (id) => digests.get(id)!, hasher, version);
}
