// Who may write into this node's store: a policy asked for every incoming run before the feed
// rules run. An open node (no fleet) has none and stores every authentic feed; a node in a fleet
// stores only feeds its fleet admitted, and only kinds it knows (core/fleet/admission-policy.ts).
import type { AuthorId, FeedEvent } from '../events/event';
import type { Attestation } from '../import/attestation';
import type { IncomingRun } from './ingest';

export interface AdmissionRefusal {
  readonly code: string;
  readonly message: string;
  readonly seq?: number;
}

export interface AdmissionPolicy {
  /** Null when the run may go on to the feed rules; a refusal with a stable code when not. */
  check(run: IncomingRun, attestations: (author: AuthorId) => readonly Attestation[]): AdmissionRefusal | null;
  /** Events that just landed (an admission among them changes who may write next, in the same batch). */
  appended(events: readonly FeedEvent[]): void;
}
