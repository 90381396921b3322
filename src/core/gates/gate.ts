// Gates: caller-defined checks that run before a local append (schema, plausibility,
// permissions). A gate permits or denies; a denial carries a stable snake_case code and a
// sentence for a person, and the node records it. Gates guard what this node authors. Events
// from peers are already signed history: refusing them would split the mesh, so projections
// skip (and report) what they cannot fold instead.
import type { Value } from '../encoding/canonical';
import type { AuthorId } from '../events/event';
import { validatePayload } from '../events/kinds';

export interface Draft {
  readonly kind: string;
  readonly payload: Value;
}

export interface GateContext {
  readonly author: AuthorId;
  readonly nowMs: number;
}

export type GateVerdict = { readonly permit: true } | { readonly permit: false; readonly code: string; readonly message: string };

export interface Gate {
  readonly name: string;
  check(draft: Draft, ctx: GateContext): GateVerdict;
}

export const PERMIT: GateVerdict = { permit: true };

export function deny(code: string, message: string): GateVerdict {
  if (!/^[a-z][a-z0-9_]*$/.test(code)) throw new Error(`gate codes are snake_case: ${code}`);
  return { permit: false, code, message };
}

/** Runs gates in order; the first denial wins. */
export function runGates(gates: readonly Gate[], draft: Draft, ctx: GateContext): GateVerdict & { gate?: string } {
  for (const gate of gates) {
    const verdict = gate.check(draft, ctx);
    if (!verdict.permit) return { ...verdict, gate: gate.name };
  }
  return PERMIT;
}

/** Denies payloads that do not match their kind's schema. */
export const schemaGate: Gate = {
  name: 'schema',
  check(draft) {
    const problem = validatePayload(draft.kind, draft.payload);
    return problem ? deny('schema_invalid', `${draft.kind}: ${problem.message}`) : PERMIT;
  },
};
