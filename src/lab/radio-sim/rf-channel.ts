// A shared simulated RF channel. Transmissions take Semtech airtime; a radio hears a
// transmission only if the reach matrix says it is in range and it is tuned alike; two
// transmissions overlapping at a receiver destroy each other there (no capture effect); a radio
// cannot hear while it transmits (half duplex); and each reception can be lost at random. The
// reach matrix can change at any time, so tests partition and heal a mesh.
import type { Scheduler } from '../../core/clock/scheduler';
import { SeededRandom } from '../../core/util/random';
import { rnodeAirtimeMs, type LoraParams } from '../../core/lora/airtime';

export interface Tuning extends LoraParams {
  readonly frequencyHz: number;
}

export interface ReachEntry {
  readonly rssiDbm: number;
  readonly snrDb: number;
}

export interface ChannelListener {
  /** Current tuning, or null when the radio is off. */
  tuning(): Tuning | null;
  /** A packet arrived intact. */
  deliver(payload: Uint8Array, rssiDbm: number, snrDb: number): void;
}

interface Transmission {
  readonly from: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly tuning: Tuning;
  readonly payload: Uint8Array;
  /** Receivers that will not get it (collision, half duplex). */
  readonly spoiled: Set<number>;
}

function sameChannel(a: Tuning, b: Tuning): boolean {
  return a.frequencyHz === b.frequencyHz && a.bwHz === b.bwHz && a.sf === b.sf;
}

export interface ChannelStatsCounters {
  txAirtimeMs: number;
  heardAirtimeMs: number;
  delivered: number;
  collided: number;
  lost: number;
}

export class RfChannel {
  private readonly radios = new Map<number, ChannelListener>();
  private readonly reach = new Map<string, ReachEntry>();
  private readonly active: Transmission[] = [];
  private readonly rng: SeededRandom;
  readonly counters = new Map<number, ChannelStatsCounters>();
  /** Every transmission (with `log: true`): the airtime log a duty-cycle check reads. */
  readonly log: { readonly from: number; readonly startMs: number; readonly endMs: number; readonly bytes: number }[] | null;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly opts: { loss: number; seed: number; log?: boolean },
  ) {
    this.rng = new SeededRandom(opts.seed);
    this.log = opts.log ? [] : null;
  }

  attach(id: number, listener: ChannelListener): void {
    this.radios.set(id, listener);
    this.counters.set(id, { txAirtimeMs: 0, heardAirtimeMs: 0, delivered: 0, collided: 0, lost: 0 });
  }

  /** Directional: `to` hears `from` (null removes the path). */
  setReach(from: number, to: number, entry: ReachEntry | null): void {
    if (entry) this.reach.set(`${from}>${to}`, entry);
    else this.reach.delete(`${from}>${to}`);
  }

  /** Replaces the whole matrix: matrix[from][to] (null or missing = out of reach). */
  setMatrix(matrix: readonly (readonly (ReachEntry | null)[])[]): void {
    this.reach.clear();
    matrix.forEach((row, from) => row.forEach((e, to) => from !== to && e && this.reach.set(`${from}>${to}`, e)));
  }

  reachOf(from: number, to: number): ReachEntry | null {
    return this.reach.get(`${from}>${to}`) ?? null;
  }

  /** Is the channel busy as heard by `id` (for carrier sense)? */
  busyAt(id: number, tuning: Tuning): boolean {
    const now = this.scheduler.nowMs();
    return this.active.some((t) => t.endMs > now && (t.from === id || (this.reachOf(t.from, id) && sameChannel(t.tuning, tuning))));
  }

  /** Starts a transmission; returns its airtime. `onDone` runs when it has left the antenna. */
  transmit(from: number, payload: Uint8Array, tuning: Tuning, onDone: () => void): number {
    const now = this.scheduler.nowMs();
    const airtime = rnodeAirtimeMs(payload.length, tuning);
    const tx: Transmission = { from, startMs: now, endMs: now + airtime, tuning, payload: payload.slice(), spoiled: new Set() };
    this.counters.get(from)!.txAirtimeMs += airtime;
    this.log?.push({ from, startMs: now, endMs: now + airtime, bytes: payload.length });
    for (const other of this.active) {
      if (other.endMs <= now) continue;
      // The transmitter stops hearing whatever it was receiving (half duplex).
      other.spoiled.add(from);
      // Anyone in range of both hears a collision.
      if (!sameChannel(other.tuning, tuning)) continue;
      for (const r of this.radios.keys()) {
        if (this.reachOf(other.from, r) && this.reachOf(from, r)) {
          other.spoiled.add(r);
          tx.spoiled.add(r);
        }
      }
      tx.spoiled.add(other.from); // a transmitting radio cannot hear this one
    }
    this.active.push(tx);
    this.scheduler.after(airtime, () => this.finish(tx, onDone));
    return airtime;
  }

  private finish(tx: Transmission, onDone: () => void): void {
    this.active.splice(this.active.indexOf(tx), 1);
    for (const [id, radio] of this.radios) {
      if (id === tx.from) continue;
      const path = this.reachOf(tx.from, id);
      const tuning = radio.tuning();
      if (!path || !tuning || !sameChannel(tuning, tx.tuning)) continue;
      const c = this.counters.get(id)!;
      c.heardAirtimeMs += tx.endMs - tx.startMs;
      if (tx.spoiled.has(id)) c.collided++;
      else if (this.opts.loss > 0 && this.rng.chance(this.opts.loss)) c.lost++;
      else {
        c.delivered++;
        radio.deliver(tx.payload, path.rssiDbm, path.snrDb);
      }
    }
    onDone();
  }
}
