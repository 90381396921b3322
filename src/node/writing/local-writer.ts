// The one path for events this node authors: gates first (a denial is recorded, never thrown),
// then an HLC stamp that never goes below the feed head or anything the store has seen, then a
// signed append in one transaction. Used by the running node and by CLI verbs, which therefore
// need not fold the whole log to add one event.
import type { Signer } from '../../core/crypto/ports';
import { Hlc } from '../../core/clock/hlc';
import type { Clock } from '../../core/clock/clock';
import type { AuthorId } from '../../core/events/event';
import { KINDS } from '../../core/events/kinds';
import { headSigningBytes } from '../../core/feed/head';
import type { DenialLog } from '../../core/store/denial-log';
import type { FeedAppender, FeedLog, LocalDraft, StoredEvent } from '../../core/store/feed-log';
import { isMandalaError, MandalaError } from '../errors';
import type { QuarantineLog } from '../../core/store/quarantine-log';
import type { OwnHeads } from './own-heads';
import { runGates, schemaGate, type Gate } from '../../core/gates/gate';
import type { AppendResultDto } from '../../shared/api';

export interface LocalWriterOptions {
  readonly store: Pick<FeedAppender, 'appendLocal'> & Pick<DenialLog, 'recordDenial'> & Partial<Pick<QuarantineLog, 'quarantined'>>;
  readonly identity: Signer & { readonly author: AuthorId };
  readonly clock: Clock;
  readonly hlc: Hlc;
  readonly gates?: readonly Gate[];
  /** The heads this node signed, kept outside the database: no seq is ever signed twice. */
  readonly ownHeads?: OwnHeads;
}

/** Why this node may not write to its own feed yet (it must recover it from peers first). */
export const OWN_FEED_REFUSALS: ReadonlySet<string> = new Set(['own_feed_behind', 'own_feed_unknown', 'own_feed_quarantined']);

/** At most this many gate.denial events a minute; the rest are counted into the next one. */
const DENIAL_EVENTS_PER_MINUTE = 30;

export class LocalWriter {
  private denialWindow = { startMs: Number.NEGATIVE_INFINITY, written: 0, suppressed: 0 };

  constructor(private readonly opts: LocalWriterOptions) {}

  get author(): AuthorId {
    return this.opts.identity.author;
  }

  append(drafts: readonly LocalDraft[]): AppendResultDto[] {
    const { store, identity, hlc } = this.opts;
    const now = this.opts.clock.nowMs();
    const results: AppendResultDto[] = [];
    const permitted: LocalDraft[] = [];
    const denials: LocalDraft[] = [];
    for (const d of drafts) {
      const verdict = runGates(this.opts.gates ?? [schemaGate], d, { author: identity.author, nowMs: now });
      if (verdict.permit) {
        permitted.push(d);
        results.push({ ok: true, author: identity.author, seq: 0, id: '' });
      } else {
        store.recordDenial({ atMs: now, gate: verdict.gate ?? 'gate', code: verdict.code, message: verdict.message, kind: d.kind });
        results.push({ ok: false, code: verdict.code, message: verdict.message });
        const denial = this.denialEvent(now, verdict.gate ?? 'gate', verdict.code, verdict.message, d.kind);
        if (denial) denials.push(denial);
      }
    }
    if (permitted.length + denials.length === 0) return results;
    const { ownHeads } = this.opts;
    let stored: StoredEvent[];
    try {
      stored = store.appendLocal(
        {
          author: identity.author,
          stamp: ({ head }) => {
            // Inside the write transaction: a feed behind what this node signed is never extended,
            // nor one that forked (another machine signing as this node).
            ownHeads?.assertCaughtUp(identity.author, head);
            if (store.quarantined?.().includes(identity.author)) {
              throw new MandalaError('own_feed_quarantined', `this node's feed ${identity.author.slice(0, 8)} forked (another machine signed a different history with the same identity) and is quarantined: nothing more can be written to it. Start this node afresh with \`mandala init\` in an empty folder (a new identity) and sync it`);
            }
            if (head) hlc.raiseTo(head.hlc);
            return hlc.now();
          },
          signHead: (seq, id) => identity.sign(headSigningBytes(identity.author, seq, id)),
        },
        [...permitted, ...denials],
      );
    } catch (e) {
      if (isMandalaError(e) && OWN_FEED_REFUSALS.has(e.code)) return results.map((r) => (r.ok ? { ok: false, code: e.code, message: e.message } : r));
      throw e;
    }
    const last = stored[stored.length - 1];
    // After the commit: a record that lags the database is safe (a crash here loses nothing).
    try {
      if (last) ownHeads?.record(identity.author, { seq: last.seq, id: last.id });
    } catch (e) {
      if (!isMandalaError(e)) throw e;
      throw new MandalaError(e.code, `the events were stored (up to seq ${last!.seq}), but ${e.message}`);
    }
    let i = 0;
    // Denials are recorded as events too (after the permitted drafts), so every node's conflict
    // timeline shows them; they are not part of the results.
    return results.map((r) => {
      if (!r.ok) return r;
      const ev = stored[i++]!;
      return { ok: true, author: ev.author, seq: ev.seq, id: ev.id };
    });
  }

  /** The first refusal the gates would give these drafts now, without writing anything; null if none. */
  check(drafts: readonly LocalDraft[]): { code: string; message: string } | null {
    const now = this.opts.clock.nowMs();
    for (const d of drafts) {
      const verdict = runGates(this.opts.gates ?? [schemaGate], d, { author: this.opts.identity.author, nowMs: now });
      if (!verdict.permit) return { code: verdict.code, message: verdict.message };
    }
    return null;
  }

  /** A gate.denial draft, unless this minute's share is used up (then it is counted for later). */
  private denialEvent(nowMs: number, gate: string, code: string, message: string, kind: string): LocalDraft | null {
    const w = this.denialWindow;
    if (nowMs - w.startMs >= 60_000) this.denialWindow = { startMs: nowMs, written: 0, suppressed: w.suppressed };
    if (this.denialWindow.written >= DENIAL_EVENTS_PER_MINUTE) {
      this.denialWindow.suppressed++;
      return null;
    }
    this.denialWindow.written++;
    const count = 1 + this.denialWindow.suppressed;
    this.denialWindow.suppressed = 0;
    return { kind: KINDS.gateDenial, payload: { gate, code, message: message.slice(0, 200), kind, count } };
  }

  /** Writes a node.profile event when this node's feed does not yet carry `name`. */
  ensureProfile(name: string, currentName: string | null): void {
    if (currentName !== name) this.append([{ kind: KINDS.nodeProfile, payload: { name } }]);
  }
}

/** An HLC seeded above everything in the store (drift-guarded), for a process that just opened it. */
export function seededHlc(store: Pick<FeedLog, 'highestHlc'>, clock: Clock, maxDriftMs?: number): { hlc: Hlc; aheadByMs: number | null } {
  const hlc = new Hlc(clock, maxDriftMs);
  const highest = store.highestHlc();
  if (!highest) return { hlc, aheadByMs: null };
  const obs = hlc.observe(highest);
  return { hlc, aheadByMs: obs.adopted ? null : obs.aheadByMs };
}
