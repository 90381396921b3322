// The console API's types for the fleet's operations beyond the map: the fleet filters, the
// alerts and geofences, the lifecycle inspector and the ingest view (api.ts re-exports them).

export interface LifecycleStepDto {
  readonly name: string;
  readonly atMs: number;
  readonly durationMs: number;
  readonly ok: boolean;
  /** What happened at this step, in words. */
  readonly words: string;
}

/** One delivery's path through the node (a trace), and where its positions are now. */
export interface LifecycleDto {
  readonly traceId: string;
  readonly source: string;
  readonly webhookId: string | null;
  readonly trucks: readonly string[];
  readonly positions: number;
  readonly startMs: number;
  readonly steps: readonly LifecycleStepDto[];
  /** Where it is now and why, in words ("waiting in the inbox, 1,204 positions ahead"). */
  readonly now: readonly string[];
}

/** One sample of the ingest view: rates over the interval before `atMs`. */
export interface IngestSampleDto {
  readonly atMs: number;
  /** Positions taken in per second (vendors' webhooks and phones). */
  readonly acceptedPerS: number;
  /** Deliveries told to retry later (429) per second. */
  readonly shedPerS: number;
  /** Positions waiting in the inbox at `atMs`. */
  readonly inbox: number;
  readonly drainedPerS: number;
  /** The main event loop's p99 delay over the last minute, at `atMs`. */
  readonly loopP99Ms: number;
  /** Positions (or events, for peers) per second by source: "vendor NAME", "phones", "gps", "peers". */
  readonly bySource: Readonly<Record<string, number>>;
}

export interface IngestHistoryDto {
  readonly everyMs: number;
  /** Oldest first. */
  readonly samples: readonly IngestSampleDto[];
}

export type AlertKindDto = 'geofence_enter' | 'geofence_exit' | 'overspeed' | 'stopped' | 'quiet';

export interface AlertDto {
  readonly id: string;
  readonly kind: AlertKindDto;
  readonly truck: string;
  readonly atMs: number;
  readonly geofence: { readonly id: string; readonly name: string } | null;
  readonly speedKmh: number | null;
  readonly limitKmh: number | null;
  /** stopped: since when; quiet: the truck's last fix. */
  readonly sinceMs: number | null;
  /** Decided on this node's clock (a truck gone quiet), not derived from the events: other nodes may not show it. */
  readonly local: boolean;
  /** Who acknowledged it (on any node), or null while it is open. */
  readonly ack: { readonly author: string; readonly name: string; readonly atMs: number; readonly note: string | null } | null;
  /** In words. */
  readonly summary: string;
}

export interface GeofenceDto {
  readonly id: string;
  readonly name: string;
  /** [lat, lon] vertices. */
  readonly ring: readonly (readonly [number, number])[];
  readonly maxSpeedKmh: number | null;
}

export interface AlertsDto {
  /** Newest first. */
  readonly alerts: readonly AlertDto[];
  readonly open: number;
  readonly geofences: readonly GeofenceDto[];
}

/** The fleet's plausibility filters: snake_case keys (core/projections/fleet-settings.ts), null when off. */
export interface FleetSettingsDto {
  readonly settings: Readonly<Record<string, number | boolean | null>>;
  readonly defaults: Readonly<Record<string, number | boolean | null>>;
  /** What each setting does, in words. */
  readonly help: Readonly<Record<string, string>>;
}
