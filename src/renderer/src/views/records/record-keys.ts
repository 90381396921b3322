// The Records page from the keyboard: which key does what, and moving through the list. Pure, so
// the map from keys to actions is one table a test can read.
export type RecordKeyAction = 'next' | 'previous' | 'filter' | 'new' | 'fields' | 'set-field' | 'note';

const KEYS: Readonly<Record<string, RecordKeyAction>> = {
  ArrowDown: 'next',
  j: 'next',
  ArrowUp: 'previous',
  k: 'previous',
  '/': 'filter',
  n: 'new',
  e: 'fields',
  f: 'set-field',
  a: 'note',
};

/** The help line shown under the list. */
export const RECORD_KEYS_HELP = '↑ ↓ or j k move · / filter · n new record · e edit a field (Enter edits, Esc cancels) · f set a field · a add a note (Ctrl+Enter adds)';

/** What a key press on the page means, or null: typing in a box, or with Ctrl, Alt or ⌘ held, is never a shortcut. */
export function recordKeyAction(key: string, modifiers: { ctrl: boolean; alt: boolean; meta: boolean }, typing: boolean): RecordKeyAction | null {
  if (typing || modifiers.ctrl || modifiers.alt || modifiers.meta) return null;
  return KEYS[key] ?? null;
}

/** The record `step` rows from `current` in the shown list (the first or last when none is chosen), or null for an empty list. */
export function stepSelection(shown: readonly string[], current: string | null, step: 1 | -1): string | null {
  if (shown.length === 0) return null;
  const at = current === null ? -1 : shown.indexOf(current);
  if (at < 0) return step === 1 ? shown[0]! : shown[shown.length - 1]!;
  return shown[Math.max(0, Math.min(shown.length - 1, at + step))]!;
}
