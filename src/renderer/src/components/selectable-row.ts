// Table rows that act like buttons: clickable, focusable, and activated by Enter or Space, so the
// truck and record lists work from the keyboard too.
import type { KeyboardEvent } from 'react';

export function selectableRowProps(onActivate: () => void, selected: boolean) {
  return {
    tabIndex: 0,
    'aria-selected': selected,
    onClick: onActivate,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      onActivate();
    },
  };
}
