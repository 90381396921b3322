// Who is who: display names from node.profile events, report feeds the profiles declare (named
// "<node> (reports)"), and imported feeds named by their attestations ("<name> (imported)").
// Node-local: names are not part of any projection's hash.
import type { ValueMap } from '../encoding/canonical';
import type { FeedEvent } from '../events/event';
import { KINDS } from '../events/kinds';
import { decodePayload, type DecodedPayload } from '../events/payloads';
import { isImportedAuthor } from '../import/imported-author';
import { DEFAULT_SETTINGS, settingsToValue } from '../projections/fleet-settings';
import type { Fold } from '../projections/projection';

export class NodeDirectory implements Fold {
  readonly sources = [KINDS.importAttest, KINDS.nodeProfile];
  readonly topic = 'node' as const;
  readonly names = new Map<string, string>();
  /** Per node, the report feed its profile declares. */
  private readonly reportFeeds = new Map<string, string>();
  /** Per node, the fleet filters its latest profile says it judges fixes under. */
  private readonly filters = new Map<string, ValueMap>();

  apply(ev: FeedEvent, payload: DecodedPayload = decodePayload(ev)): void {
    if (payload.kind === KINDS.nodeProfile) {
      // An imported feed never speaks for a node: its name comes from its attestation.
      if (isImportedAuthor(ev.author)) return;
      this.names.set(ev.author, payload.name);
      if (payload.filters) this.filters.set(ev.author, payload.filters);
      else if (payload.filtersChanged) this.filters.set(ev.author, { ...settingsToValue(DEFAULT_SETTINGS), ...payload.filtersChanged });
      if (payload.reports !== null && payload.reports !== ev.author) {
        this.reportFeeds.set(ev.author, payload.reports);
        this.names.set(payload.reports, `${payload.name} (reports)`);
      }
    } else if (payload.kind === KINDS.importAttest) {
      for (const f of payload.feeds) if (!this.names.has(f.author)) this.names.set(f.author, `${f.name} (imported)`);
    }
  }

  /** The report feed a node's profile declares, or null. */
  reportFeedOf(node: string): string | null {
    return this.reportFeeds.get(node) ?? null;
  }

  /** The fleet filters a node's profile declares (as fleet-settings values), or null. */
  filtersOf(node: string): ValueMap | null {
    return this.filters.get(node) ?? null;
  }

  /** The name to show for an author: its profile's, or the start of its key. */
  nameOf(author: string): string {
    return this.names.get(author) ?? author.slice(0, 8);
  }

  /** As [author, name] and [node, report feed] pairs, for a checkpoint. */
  snapshot(): { names: [string, string][]; reports: [string, string][]; filters: [string, ValueMap][] } {
    return { names: [...this.names], reports: [...this.reportFeeds], filters: [...this.filters] };
  }

  restore(s: { names?: [string, string][]; reports?: [string, string][]; filters?: [string, ValueMap][] }): void {
    for (const [a, n] of s.names ?? []) this.names.set(a, n);
    for (const [a, r] of s.reports ?? []) this.reportFeeds.set(a, r);
    for (const [a, f] of s.filters ?? []) this.filters.set(a, f);
  }
}
