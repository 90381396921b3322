// Errors a person can act on: a stable code for scripts and tests, and a sentence that says what
// happened and what to do. Every user-facing failure in the node and the CLI is one of these.

export class MandalaError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MandalaError';
  }
}

export function isMandalaError(e: unknown): e is MandalaError {
  return e instanceof MandalaError;
}
