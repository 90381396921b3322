// Trucks glide to a new fix instead of jumping to it, and each new fix sends out a brief ring so a
// dispatcher sees at any zoom that a truck just reported (at fleet zoom a truck moves less than a
// pixel between fixes). Pure: the caller gives the time and draws what frame() returns.
//
// A move longer than TWEEN_MAX_M (a relayed backlog, a truck seen again after a dead zone) is not
// animated: gliding across 50 km would draw the truck where it never was.
import { haversineMeters } from '../lib/geo';

export type LonLat = readonly [number, number];

export const TWEEN_MS = 900;
export const PULSE_MS = 1600;
export const TWEEN_MAX_M = 3000;

interface Move {
  readonly from: LonLat;
  readonly to: LonLat;
  readonly startMs: number;
}

export interface TweenFrame {
  /** Where each gliding truck is drawn in this frame. */
  readonly positions: ReadonlyMap<string, LonLat>;
  /** Each pulsing truck's ring, 0 (just reported) to 1 (gone). */
  readonly pulses: ReadonlyMap<string, number>;
  /** Trucks whose ring ended in this frame (their state is to be cleared). */
  readonly pulsesEnded: readonly string[];
  /** False once nothing moves or pulses: the caller can stop asking for frames. */
  readonly active: boolean;
}

const clamp01 = (t: number): number => Math.max(0, Math.min(1, t));

const easeOut = (t: number): number => 1 - (1 - t) * (1 - t) * (1 - t);

export class PositionTween {
  private readonly targets = new Map<string, LonLat>();
  private readonly moves = new Map<string, Move>();
  private readonly pulseStarts = new Map<string, number>();

  /**
   * Takes every truck's latest fix position; a truck whose position changed glides there from where
   * it is drawn now and pulses. The first positions seen are taken as they are (no glide, no pulse).
   * Returns how many glides and pulses started.
   */
  update(positions: Iterable<readonly [string, LonLat]>, nowMs: number): { glides: number; pulses: number } {
    const first = this.targets.size === 0;
    let glides = 0;
    let pulses = 0;
    for (const [truck, to] of positions) {
      const before = this.targets.get(truck);
      this.targets.set(truck, to);
      if (first || !before || (before[0] === to[0] && before[1] === to[1])) continue;
      const from = this.drawnAt(truck, nowMs) ?? before;
      this.pulseStarts.set(truck, nowMs);
      pulses++;
      if (haversineMeters({ lon: from[0], lat: from[1] }, { lon: to[0], lat: to[1] }) > TWEEN_MAX_M) this.moves.delete(truck);
      else {
        this.moves.set(truck, { from, to, startMs: nowMs });
        glides++;
      }
    }
    return { glides, pulses };
  }

  /** Where every glide in flight is headed (to put trucks there when the glides are stopped). */
  inFlight(): ReadonlyMap<string, LonLat> {
    return new Map([...this.moves].map(([truck, move]) => [truck, move.to]));
  }

  /** The trucks whose ring is drawn now. */
  pulsing(): readonly string[] {
    return [...this.pulseStarts.keys()];
  }

  /** Forgets trucks no longer on the map. */
  keepOnly(trucks: ReadonlySet<string>): void {
    for (const map of [this.targets, this.moves, this.pulseStarts]) for (const truck of map.keys()) if (!trucks.has(truck)) map.delete(truck);
  }

  frame(nowMs: number): TweenFrame {
    const positions = new Map<string, LonLat>();
    for (const [truck, move] of this.moves) {
      const t = clamp01((nowMs - move.startMs) / TWEEN_MS);
      positions.set(truck, this.at(move, t));
      if (t >= 1) this.moves.delete(truck);
    }
    const pulses = new Map<string, number>();
    const pulsesEnded: string[] = [];
    for (const [truck, start] of this.pulseStarts) {
      const t = (nowMs - start) / PULSE_MS;
      if (t >= 1) {
        this.pulseStarts.delete(truck);
        pulsesEnded.push(truck);
      } else pulses.set(truck, Math.max(0, t));
    }
    return { positions, pulses, pulsesEnded, active: this.moves.size > 0 || this.pulseStarts.size > 0 };
  }

  private drawnAt(truck: string, nowMs: number): LonLat | null {
    const move = this.moves.get(truck);
    return move ? this.at(move, clamp01((nowMs - move.startMs) / TWEEN_MS)) : null;
  }

  private at(move: Move, t: number): LonLat {
    const k = easeOut(t);
    return [move.from[0] + (move.to[0] - move.from[0]) * k, move.from[1] + (move.to[1] - move.from[1]) * k];
  }
}
