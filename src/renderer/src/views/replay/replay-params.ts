// What a replay shows, kept in the URL hash (#/replay?trucks=KBT-1,KBT-2&from=…&to=…), so a
// reload or a shared link opens the same replay, and the truck card can open one.

export interface ReplayParams {
  readonly trucks: readonly string[];
  /** The window: ms since the epoch, or null for the trucks' whole history at that end. */
  readonly fromMs: number | null;
  readonly toMs: number | null;
}

export const MAX_REPLAY_TRUCKS = 6;

export function parseReplayHash(hash: string): ReplayParams {
  const q = new URLSearchParams(hash.split('?')[1] ?? '');
  const time = (k: string): number | null => {
    const v = q.get(k);
    if (v === null || v === '') return null;
    const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    return Number.isFinite(n) ? n : null;
  };
  const trucks = (q.get('trucks') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  return { trucks: [...new Set(trucks)].slice(0, MAX_REPLAY_TRUCKS), fromMs: time('from'), toMs: time('to') };
}

export function replayHash(p: ReplayParams): string {
  const q = new URLSearchParams();
  if (p.trucks.length > 0) q.set('trucks', p.trucks.join(','));
  if (p.fromMs !== null) q.set('from', new Date(p.fromMs).toISOString());
  if (p.toMs !== null) q.set('to', new Date(p.toMs).toISOString());
  const s = q.toString().replaceAll('%2C', ',').replaceAll('%3A', ':');
  return s ? `#/replay?${s}` : '#/replay';
}
