// The node's warnings (clock trouble, full disk, refused feeds …), counted in the header and
// listed on demand, so they are never hidden and never in the way.
import { useCallback, useRef, useState } from 'react';
import type { ProblemDto } from '../../../shared/api';
import { formatAge, formatCount } from '../lib/format';
import { useNodeNow } from '../store/session-context';
import { Icon } from './Icon';
import { useDismiss } from './use-dismiss';

export function WarningsMenu({ warnings }: { warnings: readonly ProblemDto[] }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const now = useNodeNow(5000);

  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, rootRef, close);

  if (warnings.length === 0) {
    return (
      <div className="warnings warnings-none" data-testid="warnings" title="The node reports no warnings">
        <Icon name="check" size={14} /> No warnings
      </div>
    );
  }
  const total = warnings.reduce((sum, w) => sum + w.count, 0);
  return (
    <div className="warnings" ref={rootRef} data-testid="warnings">
      <button type="button" className="warnings-button" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
        <Icon name="warning" size={15} />
        {warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`}
        <Icon name="chevronDown" size={14} />
      </button>
      {open ? (
        <div className="warnings-panel" role="dialog" aria-label="Node warnings">
          <div className="warnings-panel-title">
            Node warnings <span className="muted">{formatCount(total)} occurrences</span>
          </div>
          <ul className="warnings-list">
            {warnings.map((w) => (
              <li key={w.code} className="warning-item">
                <div className="warning-head">
                  <code className="warning-code">{w.code}</code>
                  <span className="warning-count">×{formatCount(w.count)}</span>
                  <span className="warning-age">{formatAge(now - w.atMs)}</span>
                </div>
                <div className="warning-message">{w.message}</div>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
