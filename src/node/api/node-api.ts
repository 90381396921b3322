// The narrow face of a running node that the console API's handlers see: queries over what it
// holds and shows, and the few commands a console may give. Handlers depend on this, never on
// the node's parts and their fields.
import type { AuthorId } from '../../core/events/event';
import type { Attestation } from '../../core/import/attestation';
import type { ProjectionSet } from '../../core/projections/set';
import type { FeedLog, LocalDraft } from '../../core/store/feed-log';
import type { AppendResultDto, IngestHistoryDto, LifecycleDto, LoopDelayDto, MapOverlaysDto, PeerMatrixDto, PeerRowDto, ProblemDto, PushTopic } from '../../shared/api';
import type { EvidenceService } from '../evidence/evidence-service';
import type { JobBoard } from '../jobs/job-board';
import type { BlobStore } from '../attachments/blob-store';
import type { Membership } from '../../core/fleet/membership';
import type { FleetSettings } from '../../core/projections/fleet-settings';

export interface NodeQueries {
  readonly self: AuthorId;
  readonly name: string;
  readonly startedAtMs: number;
  /** Running the demo fleet. */
  readonly demo: boolean;
  /** Lines the console draws under the trucks (demo roads). */
  readonly overlays: MapOverlaysDto;
  nowMs(): number;
  /** What the store holds. */
  readonly log: Pick<FeedLog, 'frontier' | 'eventCount' | 'readRange'>;
  /** The frontier digest of everything held, as hex. */
  frontierDigest(): string;
  pendingCount(): number;
  quarantined(): AuthorId[];
  attestationsOf(author: AuthorId): Attestation[];
  /** The live projections (read them; never fold into them). */
  readonly projections: Readonly<ProjectionSet>;
  readonly names: ReadonlyMap<string, string>;
  nameOf(author: AuthorId): string;
  /** The fleet this node belongs to; null for an open node. */
  readonly membership: Membership | null;
  /** How far this node holds a feed (for a revocation's `upto`). */
  heldSeq(author: AuthorId): number;
  peerRows(): PeerRowDto[];
  /** Who lacks what: every feed against every peer. */
  peerMatrix(): PeerMatrixDto;
  /** Which peers hold author's event at `seq`, as far as their last frontiers tell (null: unknown). */
  peerHolds(author: AuthorId, seq: number): { node: string; name: string; holds: boolean | null }[];
  warnings(): ProblemDto[];
  /** The main event loop's delay over the last minute. */
  loopDelay(): LoopDelayDto;
  /** Long jobs running now, and where a handler puts its own. */
  readonly jobs: JobBoard;
  /** A topic's data changed (throttled); returns the unsubscribe. */
  onPush(listener: (topic: PushTopic) => void): () => void;
}

export interface NodeCommands {
  /** Appends this node's own events (after the gates; a denial is returned, never thrown). */
  append(drafts: readonly LocalDraft[]): AppendResultDto[];
  /** The first refusal the gates would give these drafts of this node's own, or null. */
  check(drafts: readonly LocalDraft[]): { readonly code: string; readonly message: string } | null;
  /** Attachments' bytes: where their chunks are, and the whole files. */
  readonly blobs: BlobStore;
  /** Appends to the side feed (reports, attachments' bytes; off the radio); null when this node has none. */
  appendSide: ((drafts: readonly LocalDraft[]) => AppendResultDto[]) | null;
  readonly evidence: Pick<EvidenceService, 'list' | 'get' | 'create' | 'verify'>;
  /** The ingest view's samples (none on a node without an intake runtime). */
  ingestHistory(): IngestHistoryDto;
  /** The lifecycle inspector: what the node's traces and state say of a delivery, truck or event. */
  inspect(query: string): LifecycleDto[];
  /** The fleet's plausibility filters in force. */
  fleetSettings(): FleetSettings;
  /** Changes them (saved with the node's settings) and judges every truck again; resolves when folded. */
  setFleetSettings(next: FleetSettings): Promise<void>;
}

export type NodeApi = NodeQueries & NodeCommands;
