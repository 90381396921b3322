// PROVES: the Records page's keys: each shortcut maps to its action, nothing fires while typing or
//         with Ctrl, Alt or ⌘ held (Ctrl+Enter belongs to the note box); moving stops at the ends
//         of the list and starts from its first (or last) row when nothing is chosen.
// CATCHES: a "j" typed into a note moving the selection, a step past the end losing the selection.
import { describe, expect, it } from 'vitest';
import { recordKeyAction, stepSelection } from '../../src/renderer/src/views/records/record-keys';

const none = { ctrl: false, alt: false, meta: false };

describe('records from the keyboard', () => {
  it('keys_map_to_actions_only_when_not_typing_and_without_modifiers', () => {
    expect(['ArrowDown', 'j', 'ArrowUp', 'k', '/', 'n', 'e', 'f', 'a'].map((k) => recordKeyAction(k, none, false))).toEqual(['next', 'next', 'previous', 'previous', 'filter', 'new', 'fields', 'set-field', 'note']);
    expect(recordKeyAction('j', none, true)).toBeNull();
    expect(recordKeyAction('a', { ...none, ctrl: true }, false)).toBeNull();
    expect(recordKeyAction('k', { ...none, meta: true }, false)).toBeNull();
    expect(recordKeyAction('x', none, false)).toBeNull();
  });

  it('steps_stop_at_the_ends_and_start_at_an_end', () => {
    const ids = ['A', 'B', 'C'];
    expect(stepSelection(ids, null, 1)).toBe('A');
    expect(stepSelection(ids, null, -1)).toBe('C');
    expect(stepSelection(ids, 'B', 1)).toBe('C');
    expect(stepSelection(ids, 'C', 1)).toBe('C');
    expect(stepSelection(ids, 'A', -1)).toBe('A');
    expect(stepSelection(ids, 'gone', 1), 'a choice the filter hid starts over').toBe('A');
    expect(stepSelection([], 'A', 1)).toBeNull();
  });
});
