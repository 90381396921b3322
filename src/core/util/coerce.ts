// How a value typed by a person becomes a field value, everywhere (the CLI's `record set` and the
// console's field form): true/false become booleans, integers and decimals become numbers, and
// anything else stays the text it was. This is meshlogd's rule, so scripts written for the
// prototype store the same values.

export function coerceTypedValue(text: string): boolean | number | string {
  const low = text.toLowerCase();
  if (low === 'true' || low === 'false') return low === 'true';
  const trimmed = text.trim();
  if (/^[+-]?\d+$/.test(trimmed) && Number.isSafeInteger(Number(text))) return Number(text);
  if (trimmed !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) && Number.isFinite(Number(text))) return Number(text);
  return text;
}
