// JSON for people: indented like JSON.stringify(v, null, 2), except that small arrays and objects
// stay on one line (with a space after each comma and colon), so an event payload such as
// {"deps": [["a1b2…", 3]], "field": "status"} reads at a glance instead of one token per line.
import type { JsonValue } from '../../../shared/api';

const INLINE_UP_TO = 72;

function inline(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`)
    .join(', ')}}`;
}

export function prettyJson(value: JsonValue, indent = ''): string {
  const flat = inline(value);
  if (value === null || typeof value !== 'object' || flat.length + indent.length <= INLINE_UP_TO) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + prettyJson(v, inner)).join(',\n')}\n${indent}]`;
  const lines = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, inner)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}
