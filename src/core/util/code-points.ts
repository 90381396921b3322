// Comparing strings by Unicode code point: the order Python (and so meshlogd) sorts them in.
// JavaScript's default comparison uses UTF-16 code units, which puts astral characters (emoji)
// before U+E000..U+FFFF.
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a.codePointAt(k)!;
    const y = b.codePointAt(k)!;
    if (x !== y) return x - y;
    if (x > 0xffff) k++;
  }
  return a.length - b.length;
}
