// Binds record-keys.ts to the page: a key moves the selection (and focus, so the row scrolls into
// view) or focuses the box it names.
import { useEffect, useRef } from 'react';
import { recordKeyAction, stepSelection } from './record-keys';

const isTyping = (target: EventTarget | null): boolean => target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

function focus(selector: string): void {
  document.querySelector<HTMLElement>(selector)?.focus();
}

export function useRecordKeys(shown: readonly string[], selectedId: string | null, select: (id: string) => void): void {
  const latest = useRef({ shown, selectedId, select });
  useEffect(() => {
    latest.current = { shown, selectedId, select };
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = recordKeyAction(event.key, { ctrl: event.ctrlKey, alt: event.altKey, meta: event.metaKey }, isTyping(event.target));
      if (!action) return;
      event.preventDefault();
      const { shown: ids, selectedId: current } = latest.current;
      switch (action) {
        case 'next':
        case 'previous': {
          const id = stepSelection(ids, current, action === 'next' ? 1 : -1);
          if (id === null) return;
          latest.current.select(id);
          focus(`[data-testid="record-row"][data-record="${CSS.escape(id)}"]`);
          return;
        }
        case 'filter':
          return focus('input[aria-label="Filter records"]');
        case 'new':
          return focus('[data-testid="create-record-form"] input[name="recordId"]');
        case 'fields':
          return focus('[data-testid="record-detail"] [data-testid="field-row"]');
        case 'set-field':
          return focus('[data-testid="set-field-form"] input[name="field"]');
        case 'note':
          return focus('[data-testid="add-note-form"] textarea');
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
