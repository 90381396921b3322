// A console call's time window arguments (fromMs, toMs), checked the same way for every call
// that takes one (exports, replay).

export interface TimeWindowArgs {
  readonly fromMs: number | null;
  readonly toMs: number | null;
}

/** `fromMs` and `toMs` of a call's arguments (absent: null); `backwards` is the words for an end before the start. */
export function timeWindowArgs(a: Record<string, unknown>, fail: (code: string, m: string) => never, backwards: string): TimeWindowArgs {
  const time = (k: string): number | null => {
    const v = a[k];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) fail('bad_request', `${k} must be a time in ms`);
    return v;
  };
  const fromMs = time('fromMs');
  const toMs = time('toMs');
  if (fromMs !== null && toMs !== null && toMs < fromMs) fail('bad_time', backwards);
  return { fromMs, toMs };
}
