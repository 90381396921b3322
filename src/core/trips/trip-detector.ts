// Stops and trips of one truck's trajectory, the way fleet tools summarise a day: a stop is a
// stretch of at least `minStopMs` in which every fix stays within `radiusM` of where the stretch
// began; a trip is the movement between two stops (or between the window's edge and a stop).
// Fed plausible fixes in event-time order, one at a time, so a month of history is read a page
// at a time and never held; a pure state machine: the same fixes give the same stops everywhere.
import { distanceMeters } from '../geo/geo';

export interface TripFix {
  readonly fixMs: number;
  readonly lat: number;
  readonly lon: number;
  readonly speedKmh: number | null;
}

export interface Stop {
  readonly startMs: number;
  readonly endMs: number;
  readonly lat: number;
  readonly lon: number;
  /** The stop began before the first fix read (the window cut it). */
  readonly openStart: boolean;
  /** It lasted to the last fix read (it may go on after the window). */
  readonly openEnd: boolean;
}

export interface Trip {
  readonly startMs: number;
  readonly endMs: number;
  readonly distanceM: number;
  /** The highest reported speed, or the highest implied by two fixes when none was reported. */
  readonly maxSpeedKmh: number;
}

export interface TripSummary {
  readonly stops: readonly Stop[];
  readonly trips: readonly Trip[];
  readonly distanceM: number;
  readonly movingMs: number;
  readonly stoppedMs: number;
  readonly maxSpeedKmh: number;
  /** Fixes read. */
  readonly fixes: number;
}

export interface TripRules {
  /** How far a standing truck's fixes may wander (GPS noise). */
  readonly radiusM: number;
  /** How long it must stand for a stop. */
  readonly minStopMs: number;
}

/** 100 m (the stopped alert's radius) for 5 minutes: a delivery, not a traffic light. */
export const DEFAULT_TRIP_RULES: TripRules = { radiusM: 100, minStopMs: 5 * 60_000 };

interface Anchored {
  readonly fix: TripFix;
  /** Distance travelled up to the anchor (from the first fix). */
  readonly odometer: number;
  readonly isFirst: boolean;
}

export class TripDetector {
  private readonly stops: Stop[] = [];
  private readonly trips: Trip[] = [];
  private last: TripFix | null = null;
  private odometer = 0;
  /** Where a possible stop began: the fixes since stay within the radius of it. */
  private anchor: Anchored | null = null;
  /** Where the current trip began (the end of the last stop, or the first fix), and its odometer. */
  private tripStart: { fix: TripFix; odometer: number } | null = null;
  /** The fastest step from the trip's start to the anchor, and from the anchor on (a stop's GPS noise must not count). */
  private maxToAnchor = 0;
  private maxAfterAnchor = 0;
  private count = 0;

  constructor(private readonly rules: TripRules = DEFAULT_TRIP_RULES) {}

  /** Takes the next fix; fixes must come in event-time order (an equal time is a repeat: skipped). */
  add(fix: TripFix): void {
    const last = this.last;
    if (last && fix.fixMs <= last.fixMs) return;
    this.count++;
    this.last = fix;
    if (!last) {
      this.anchor = { fix, odometer: 0, isFirst: true };
      this.tripStart = { fix, odometer: 0 };
      return;
    }
    const step = distanceMeters(last.lat, last.lon, fix.lat, fix.lon);
    const before = this.odometer;
    this.odometer += step;
    const speed = fix.speedKmh ?? (step / (fix.fixMs - last.fixMs)) * 3600;
    const anchor = this.anchor!;
    if (distanceMeters(anchor.fix.lat, anchor.fix.lon, fix.lat, fix.lon) <= this.rules.radiusM) {
      this.maxAfterAnchor = Math.max(this.maxAfterAnchor, speed);
      return;
    }
    // The truck left the anchor's circle: what stood there long enough was a stop.
    if (last.fixMs - anchor.fix.fixMs >= this.rules.minStopMs) {
      this.closeStop(anchor, last, before);
      this.maxToAnchor = 0;
    } else {
      this.maxToAnchor = Math.max(this.maxToAnchor, this.maxAfterAnchor);
    }
    // A new possible stop begins at the previous fix, or here when this step was itself a move.
    if (step <= this.rules.radiusM) {
      this.anchor = { fix: last, odometer: before, isFirst: false };
      this.maxAfterAnchor = speed;
    } else {
      this.anchor = { fix, odometer: this.odometer, isFirst: false };
      this.maxToAnchor = Math.max(this.maxToAnchor, speed);
      this.maxAfterAnchor = 0;
    }
  }

  private tripTo(end: Anchored, maxSpeedKmh: number): Trip | null {
    const start = this.tripStart!;
    if (end.isFirst || end.fix.fixMs <= start.fix.fixMs) return null;
    return { startMs: start.fix.fixMs, endMs: end.fix.fixMs, distanceM: end.odometer - start.odometer, maxSpeedKmh };
  }

  private closeStop(anchor: Anchored, end: TripFix, endOdometer: number): void {
    const trip = this.tripTo(anchor, this.maxToAnchor);
    if (trip) this.trips.push(trip);
    this.stops.push({ startMs: anchor.fix.fixMs, endMs: end.fixMs, lat: anchor.fix.lat, lon: anchor.fix.lon, openStart: anchor.isFirst, openEnd: false });
    this.tripStart = { fix: end, odometer: endOdometer };
  }

  /** The stops and trips of every fix taken so far (the detector may go on taking fixes after). */
  summary(): TripSummary {
    const stops = [...this.stops];
    const trips = [...this.trips];
    const last = this.last;
    const anchor = this.anchor;
    if (last && anchor) {
      const standing = last.fixMs - anchor.fix.fixMs >= this.rules.minStopMs;
      const trip = standing ? this.tripTo(anchor, this.maxToAnchor) : this.tripTo({ fix: last, odometer: this.odometer, isFirst: false }, Math.max(this.maxToAnchor, this.maxAfterAnchor));
      if (trip) trips.push(trip);
      if (standing) stops.push({ startMs: anchor.fix.fixMs, endMs: last.fixMs, lat: anchor.fix.lat, lon: anchor.fix.lon, openStart: anchor.isFirst, openEnd: true });
    }
    return {
      stops,
      trips,
      distanceM: trips.reduce((n, t) => n + t.distanceM, 0),
      movingMs: trips.reduce((n, t) => n + (t.endMs - t.startMs), 0),
      stoppedMs: stops.reduce((n, s) => n + (s.endMs - s.startMs), 0),
      maxSpeedKmh: trips.reduce((n, t) => Math.max(n, t.maxSpeedKmh), 0),
      fixes: this.count,
    };
  }
}

/** Stops and trips of a whole trajectory at once (tests and small windows). */
export function summariseTrips(fixes: Iterable<TripFix>, rules: TripRules = DEFAULT_TRIP_RULES): TripSummary {
  const d = new TripDetector(rules);
  for (const f of fixes) d.add(f);
  return d.summary();
}
