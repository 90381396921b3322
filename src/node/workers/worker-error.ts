// A MandalaError thrown in a worker thread crosses to the main thread as a plain Error (the
// structured clone keeps only its message), so its stable code travels inside the message and
// is turned back into a MandalaError on arrival.
import { isMandalaError, MandalaError } from '../errors';

const CODED = /^\[mandala:([a-z0-9_]+)\] ([\s\S]*)$/;

/** In the worker: what to throw in place of `e`. */
export function toWorkerError(e: unknown): unknown {
  return isMandalaError(e) ? new Error(`[mandala:${e.code}] ${e.message}`) : e;
}

/** On the main thread: the MandalaError a worker threw, or `e` as it came. */
export function fromWorkerError(e: unknown): unknown {
  const m = CODED.exec((e as Error | null)?.message ?? '');
  return m ? new MandalaError(m[1]!, m[2]!) : e;
}
