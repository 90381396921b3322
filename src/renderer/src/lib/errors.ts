// Every failure the console shows carries a code and a message (ApiCallError from the bridge, or
// anything else thrown), so the user sees "connection_lost: …" rather than "[object Object]".
import type { ApiErrorDto } from '../../../shared/api';

export function describeError(error: unknown): ApiErrorDto {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && typeof message === 'string') return { code, message };
    if (typeof message === 'string') return { code: 'error', message };
  }
  return { code: 'error', message: String(error) };
}
