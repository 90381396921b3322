// JSON for people: indented like JSON.stringify(v, null, 2), except that small arrays and objects
// stay on one line, so an event payload such as {"deps": [["a1b2…", 3]]} reads at a glance
// instead of spreading one token per line.
import type { JsonValue } from '../../../shared/api';

const INLINE_UP_TO = 72;

export function prettyJson(value: JsonValue, indent = ''): string {
  const flat = JSON.stringify(value);
  if (value === null || typeof value !== 'object' || flat.length + indent.length <= INLINE_UP_TO) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + prettyJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, inner)}`).join(',\n')}\n${indent}}`;
}
