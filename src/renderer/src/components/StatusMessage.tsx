// The three states every panel can be in besides "has data": loading, empty, failed. Failures
// always show the node's error code next to its message.
import type { ReactNode } from 'react';
import type { ApiErrorDto } from '../../../shared/api';

export function LoadingState({ label }: { label: string }) {
  return (
    <div className="status-message status-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="status-message status-empty">
      <div className="status-title">{title}</div>
      {children ? <div className="status-hint">{children}</div> : null}
    </div>
  );
}

export function ErrorNotice({ error, context, compact = false }: { error: ApiErrorDto; context?: string; compact?: boolean }) {
  return (
    <div className={compact ? 'error-notice error-notice-compact' : 'error-notice'} role="alert">
      {context ? <span className="error-context">{context}</span> : null}
      <code className="error-code">{error.code}</code>
      <span className="error-message">{error.message}</span>
    </div>
  );
}
