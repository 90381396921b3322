// The console API's types for replay: one truck's history over a window, read from the node a
// page at a time, with its stops and trips (api.ts re-exports them).

/** A truck's fixes as columns (index i of each is one fix), in event-time order. */
export interface ReplayFixesDto {
  readonly fixMs: readonly number[];
  readonly lat: readonly number[];
  readonly lon: readonly number[];
  readonly speedKmh: readonly (number | null)[];
  readonly headingDeg: readonly (number | null)[];
  /** A plausibility filter's reason code, or null for a plausible fix. */
  readonly flag: readonly (string | null)[];
}

export interface ReplayStopDto {
  readonly startMs: number;
  readonly endMs: number;
  readonly lat: number;
  readonly lon: number;
  /** The window cut the stop: it began before it, or lasts to its end. */
  readonly openStart: boolean;
  readonly openEnd: boolean;
}

export interface ReplayTripDto {
  readonly startMs: number;
  readonly endMs: number;
  readonly distanceM: number;
  readonly maxSpeedKmh: number;
}

export interface ReplayTrackDto {
  readonly truck: string;
  /** The window asked for, or the truck's first and last fix when none was given. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Fixes in the window, and the flagged ones among them. */
  readonly total: number;
  readonly flagged: number;
  /** 1: every fix is here; k: every k-th fix (and every flagged one), to keep the console light. */
  readonly sampledEvery: number;
  readonly fixes: ReplayFixesDto;
  /** Found from every plausible fix of the window, not the sample. */
  readonly stops: readonly ReplayStopDto[];
  readonly trips: readonly ReplayTripDto[];
  readonly distanceM: number;
  readonly movingMs: number;
  readonly stoppedMs: number;
  readonly maxSpeedKmh: number;
}
