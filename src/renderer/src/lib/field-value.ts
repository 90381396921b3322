// Showing stored field values: what type each is and how it reads on one line. (Typed values are
// coerced by the node, not here: see records.setField's `text` argument.)
import type { JsonValue } from '../../../shared/api';

/** "number", "boolean", "text": shown next to the input so the user sees what will be stored. */
export function describeValueType(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'text';
  if (Array.isArray(value)) return 'list';
  return typeof value;
}

/** A stored value as one line of text. */
export function formatFieldValue(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
