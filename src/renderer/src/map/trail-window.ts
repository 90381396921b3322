// How much of each truck's trail the live map draws: the last 15 min, hour or 6 h, or every fix
// the console holds (its last 1,000 per truck).
export const TRAIL_WINDOWS = ['15m', '1h', '6h', 'all'] as const;
export type TrailWindow = (typeof TRAIL_WINDOWS)[number];

export const TRAIL_WINDOW_MS: Readonly<Record<Exclude<TrailWindow, 'all'>, number>> = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000 };

export const TRAIL_WINDOW_LABEL: Readonly<Record<TrailWindow, string>> = { '15m': 'last 15 min', '1h': 'last hour', '6h': 'last 6 h', all: 'all held' };
