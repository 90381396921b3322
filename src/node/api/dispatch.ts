// The one request dispatch of the console API, used by the WebSocket server and by Electron's
// IPC alike: the call must be in the contract, its handler runs, and whatever happens comes back
// as one envelope, `{ok: true, result}` or `{ok: false, error: {code, message}}`, with the
// error's stable code intact.
import { isApiName, type ApiEnvelope, type ApiErrorDto, type ApiHandlers } from '../../shared/api';
import { ApiError } from './handlers';

/** An error as the envelope carries it: its own code when it has one, else internal_error. */
export function errorDto(e: unknown): ApiErrorDto {
  const code = e instanceof ApiError ? e.code : e instanceof SyntaxError ? 'bad_json' : ((e as { code?: unknown })?.code as string | undefined);
  return { code: typeof code === 'string' ? code : 'internal_error', message: (e as Error)?.message ?? String(e) };
}

export async function dispatch(handlers: ApiHandlers, call: unknown, args: unknown): Promise<ApiEnvelope<unknown>> {
  if (!isApiName(call)) return { ok: false, error: { code: 'unknown_call', message: `no API call named ${String(call).slice(0, 40)}` } };
  try {
    const handler = handlers[call] as (a: unknown) => unknown;
    return { ok: true, result: await handler(args ?? {}) };
  } catch (e) {
    return { ok: false, error: errorDto(e) };
  }
}
