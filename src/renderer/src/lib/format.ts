// How the console writes numbers, ages, ids and times. One place, so every table reads the same.

const countFormat = new Intl.NumberFormat('en-US');

/** "12,345"; "—" for a value the node has not reported yet. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : countFormat.format(n);
}

/** Node ids and authors are long hex keys; eight characters tell them apart on screen. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** "just now", "12 s ago", "4 min ago", "3 h ago", "2 d ago". Future times (clock skew) read as "just now". */
export function formatAge(ageMs: number): string {
  if (ageMs < 1500) return 'just now';
  const s = Math.round(ageMs / 1000);
  if (s < 60) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

export function formatSpeed(kmh: number | null): string {
  return kmh === null ? '—' : `${Math.round(kmh)} km/h`;
}

const COMPASS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;

/** "275° W". */
export function formatHeading(deg: number | null): string {
  if (deg === null) return '—';
  const normalized = ((deg % 360) + 360) % 360;
  return `${Math.round(normalized)}° ${COMPASS[Math.round(normalized / 45) % 8]}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Local wall time of an instant, "14:03:22", with the date in front when it is not today's. */
export function formatClockTime(ms: number, todayMs: number): string {
  const at = new Date(ms);
  const today = new Date(todayMs);
  const time = `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}`;
  const sameDay = at.getFullYear() === today.getFullYear() && at.getMonth() === today.getMonth() && at.getDate() === today.getDate();
  return sameDay ? time : `${at.getFullYear()}-${pad2(at.getMonth() + 1)}-${pad2(at.getDate())} ${time}`;
}

/** Radio airtime: "840 ms", "12.4 s", "3.2 min". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export function formatCoordinate(lat: number, lon: number): string {
  return `${Math.abs(lat).toFixed(4)}° ${lat >= 0 ? 'N' : 'S'}, ${Math.abs(lon).toFixed(4)}° ${lon >= 0 ? 'E' : 'W'}`;
}

/** English plural for counts in prose: "1 peer", "3 peers". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Local wall time for axis labels: "14:05", or "14:05:30" when ticks are seconds apart. */
export function formatAxisTime(ms: number, withSeconds: boolean): string {
  const at = new Date(ms);
  const minutes = `${pad2(at.getHours())}:${pad2(at.getMinutes())}`;
  return withSeconds ? `${minutes}:${pad2(at.getSeconds())}` : minutes;
}

/** A stretch of time as a person says it: "45 s", "12 min", "2 h 05 min", "3 d 4 h". */
export function formatSpan(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ${pad2(min % 60)} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** A distance driven: "850 m", "12.4 km", "1,240 km". */
export function formatDistance(m: number): string {
  if (m < 1000) return `${Math.round(m)} m`;
  if (m < 100_000) return `${(m / 1000).toFixed(1)} km`;
  return `${Math.round(m / 1000).toLocaleString('en')} km`;
}

/** "812 B", "3.4 kB", "12.0 MB" (decimal units, as network tools count). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}
