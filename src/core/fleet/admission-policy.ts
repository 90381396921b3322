// What a node in a fleet lets into its store: only feeds the fleet admitted (up to a revocation's
// `upto`), imported feeds only when an admitted node attested them, and only event kinds this
// build knows. The one exception bootstraps a new member: the first admin's feed is accepted from
// its first event, because that event, the genesis, is signed by the fleet key itself.
import type { AuthorId, FeedEvent } from '../events/event';
import { KNOWN_KINDS } from '../events/kinds';
import type { AdmissionPolicy, AdmissionRefusal } from '../feed/admission';
import type { IncomingRun } from '../feed/ingest';
import type { Attestation } from '../import/attestation';
import { isImportedAuthor } from '../import/imported-author';
import type { Membership } from './membership';

export class FleetAdmissionPolicy implements AdmissionPolicy {
  constructor(private readonly membership: Membership) {}

  check(run: IncomingRun, attestations: (author: AuthorId) => readonly Attestation[]): AdmissionRefusal | null {
    const unknown = run.events.find((e) => !KNOWN_KINDS.has(e.kind));
    if (unknown) {
      return { code: 'unknown_kind', message: `"${unknown.kind.slice(0, 40)}" is not an event kind this fleet's nodes know; it was not stored (upgrade Mandala if a newer build writes it)`, seq: unknown.seq };
    }
    const m = this.membership;
    const last = run.events[run.events.length - 1]!;
    if (isImportedAuthor(run.author)) {
      const vouched = attestations(run.author).some((a) => m.isActive(a.attester));
      return vouched ? null : { code: 'not_admitted', message: 'an imported feed that no node of this fleet attested', seq: run.events[0]!.seq };
    }
    const state = m.state(run.author);
    if (!state) {
      const first = run.events[0]!;
      if (first.seq === 1 && m.isGenesis(first)) return null;
      if (m.mayHold(run.author, last.seq)) return null; // a member's report feed
      return { code: 'not_admitted', message: `feed ${run.author.slice(0, 8)} is not admitted to this fleet; an admin can admit it with \`mandala admit ${run.author}\``, seq: first.seq };
    }
    if (state.revoked && last.seq > state.revoked.upto) {
      return { code: 'revoked', message: `feed ${run.author.slice(0, 8)} was revoked from this fleet after seq ${state.revoked.upto}`, seq: Math.max(state.revoked.upto + 1, run.events[0]!.seq) };
    }
    return null;
  }

  appended(events: readonly FeedEvent[]): void {
    for (const ev of events) if (this.membership.sources.includes(ev.kind as never)) this.membership.apply(ev);
  }
}
