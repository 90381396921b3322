// Fork evidence in canonical form, and its independent check. Evidence must convince a third
// party that the author signed two incompatible histories, without trusting whoever kept it.
import { decodeCanonical, encodeCanonical, type Value, type ValueMap } from '../encoding/canonical';
import type { CryptoPort } from '../crypto/ports';
import { openEvent, type FeedEvent } from '../events/event';
import type { ForkEvidence, ForkProofSide } from './ledger';
import { verifyHead } from './head';

function sideValue(side: ForkProofSide): Value {
  return { from_seq: side.fromSeq, events: [...side.events], head_sig: side.headSig };
}

export function encodeForkEvidence(f: ForkEvidence): Uint8Array {
  return encodeCanonical({ author: f.author, seq: f.seq, complete: f.complete, ours: sideValue(f.ours), theirs: sideValue(f.theirs) });
}

function sideFrom(v: Value | undefined): ForkProofSide {
  const m = v as ValueMap;
  return {
    fromSeq: m['from_seq'] as number,
    events: (m['events'] as Uint8Array[]).slice(),
    headSig: (m['head_sig'] as Uint8Array | null) ?? null,
  };
}

export function decodeForkEvidence(bytes: Uint8Array): ForkEvidence {
  const m = decodeCanonical(bytes) as ValueMap;
  return {
    author: m['author'] as string,
    seq: m['seq'] as number,
    complete: m['complete'] === true,
    ours: sideFrom(m['ours']),
    theirs: sideFrom(m['theirs']),
  };
}

/** Opens a side's chain and checks it links and ends at a valid head signature. */
function checkSide(side: ForkProofSide, author: string, crypto: CryptoPort): FeedEvent[] | null {
  const events: FeedEvent[] = [];
  try {
    for (const b of side.events) events.push(openEvent(b, crypto));
  } catch {
    return null;
  }
  if (events.length === 0 || events[0]!.seq !== side.fromSeq) return null;
  for (let i = 0; i < events.length; i++) {
    if (events[i]!.author !== author) return null;
    if (i > 0 && (events[i]!.seq !== events[i - 1]!.seq + 1 || events[i]!.prev !== events[i - 1]!.id)) return null;
  }
  const top = events[events.length - 1]!;
  if (!side.headSig || !verifyHead(crypto, author, top.seq, top.id, side.headSig)) return null;
  return events;
}

/** True when the evidence proves, by itself, that `author` signed two histories at `seq`. */
export function verifyForkEvidence(f: ForkEvidence, crypto: CryptoPort): boolean {
  const ours = checkSide(f.ours, f.author, crypto);
  const theirs = checkSide(f.theirs, f.author, crypto);
  if (!ours || !theirs) return false;
  const idAt = (chain: FeedEvent[], seq: number) => chain.find((e) => e.seq === seq)?.id;
  const prevAt = (chain: FeedEvent[], seq: number) => chain.find((e) => e.seq === seq)?.prev;
  const a = idAt(ours, f.seq) ?? prevAt(ours, f.seq + 1);
  const b = idAt(theirs, f.seq) ?? prevAt(theirs, f.seq + 1);
  return a !== undefined && b !== undefined && a !== b;
}
