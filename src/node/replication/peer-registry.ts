// What the frontier table shows: one row per peer node (however many links reach it), with last
// heard, what each side lacks, sync progress, link figures, refusals and bad input by reason.
import type { AuthorId } from '../../core/events/event';
import type { PeerLinkDto, PeerRowDto, ProblemDto } from '../../shared/api';
import type { PeerView } from './peer-view';

/** What the node knows of a peer node beyond its links: its signed name and its place in the fleet. */
export type DescribePeer = (node: AuthorId) => { readonly name: string | null; readonly fleet: PeerRowDto['fleet'] };

interface PeerRecord {
  name: string;
  lastHeardMs: number | null;
  readonly problems: Map<string, ProblemDto>;
  readonly views: Set<PeerView>;
  eventsSent: number;
  eventsReceived: number;
  bytesSent: number;
  bytesReceived: number;
}

/** A peer node and the frontier it last told (for the author-by-peer matrix). */
export interface PeerFrontier {
  readonly node: string;
  readonly name: string;
  readonly connected: boolean;
  readonly heads: ReadonlyMap<string, number> | 'in_sync' | null;
}

/** What a node remembers of a peer across restarts (the peer book, node/replication/peer-book.ts). */
export interface RememberedPeer {
  readonly node: string;
  readonly name: string;
  readonly lastHeardMs: number;
  readonly eventsSent: number;
  readonly eventsReceived: number;
  readonly bytesSent?: number;
  readonly bytesReceived?: number;
}

/** Key for a peer that has not said hello yet. */
function provisionalKey(view: PeerView): string {
  return `link:${view.key}`;
}

export class PeerRegistry {
  private readonly peers = new Map<string, PeerRecord>();
  private readonly keyOf = new Map<PeerView, string>();

  private record(key: string): PeerRecord {
    let r = this.peers.get(key);
    if (!r) {
      r = { name: '', lastHeardMs: null, problems: new Map(), views: new Set(), eventsSent: 0, eventsReceived: 0, bytesSent: 0, bytesReceived: 0 };
      this.peers.set(key, r);
    }
    return r;
  }

  /** Files a view under its peer's node id once it is known. */
  track(view: PeerView): void {
    const key = view.peerInfo()?.node ?? provisionalKey(view);
    const old = this.keyOf.get(view);
    if (old === key) {
      this.touch(view);
      return;
    }
    if (old) {
      const prev = this.peers.get(old);
      prev?.views.delete(view);
      if (prev && old.startsWith('link:')) {
        const next = this.record(key);
        for (const [code, p] of prev.problems) next.problems.set(code, p);
        this.peers.delete(old);
      }
    }
    this.keyOf.set(view, key);
    this.record(key).views.add(view);
    this.touch(view);
  }

  private touch(view: PeerView): void {
    const r = this.peers.get(this.keyOf.get(view)!);
    if (!r) return;
    const info = view.peerInfo();
    if (info) r.name = info.name;
    const heard = view.stats().lastHeardMs;
    if (heard !== null && (r.lastHeardMs === null || heard > r.lastHeardMs)) r.lastHeardMs = heard;
  }

  untrack(view: PeerView): void {
    const key = this.keyOf.get(view);
    if (!key) return;
    const r = this.peers.get(key);
    if (r) {
      r.eventsSent += view.stats().eventsSent;
      r.eventsReceived += view.stats().eventsReceived;
      r.bytesSent += view.bytes().sent;
      r.bytesReceived += view.bytes().received;
      r.views.delete(view);
      if (key.startsWith('link:')) this.peers.delete(key);
    }
    this.keyOf.delete(view);
  }

  /** Peers heard before this start: listed (not connected) with when they were last heard. */
  remember(peers: readonly RememberedPeer[]): void {
    for (const p of peers) {
      if (this.peers.has(p.node)) continue;
      const r = this.record(p.node);
      r.name = p.name;
      r.lastHeardMs = p.lastHeardMs;
      r.eventsSent = p.eventsSent;
      r.eventsReceived = p.eventsReceived;
      r.bytesSent = p.bytesSent ?? 0;
      r.bytesReceived = p.bytesReceived ?? 0;
    }
  }

  /** Every peer node heard from, as the peer book keeps it. */
  memory(self: AuthorId): RememberedPeer[] {
    const out: RememberedPeer[] = [];
    for (const [key, r] of this.peers) {
      if (key === self || key.startsWith('link:')) continue;
      for (const v of r.views) this.touch(v);
      if (r.lastHeardMs === null) continue;
      const live = [...r.views].map((v) => v.stats());
      out.push({
        node: key,
        name: r.name,
        lastHeardMs: r.lastHeardMs,
        eventsSent: r.eventsSent + live.reduce((n, s) => n + s.eventsSent, 0),
        eventsReceived: r.eventsReceived + live.reduce((n, s) => n + s.eventsReceived, 0),
        bytesSent: r.bytesSent + [...r.views].reduce((n, v) => n + v.bytes().sent, 0),
        bytesReceived: r.bytesReceived + [...r.views].reduce((n, v) => n + v.bytes().received, 0),
      });
    }
    return out.sort((a, b) => (a.node < b.node ? -1 : 1));
  }

  /** Whether some live view reaches this peer node. */
  isConnected(node: AuthorId): boolean {
    return (this.peers.get(node)?.views.size ?? 0) > 0;
  }

  problem(view: PeerView, code: string, message: string, nowMs: number): void {
    const key = this.keyOf.get(view) ?? provisionalKey(view);
    const r = this.record(key);
    const prev = r.problems.get(code);
    r.problems.set(code, { code, message, atMs: nowMs, count: (prev?.count ?? 0) + 1 });
  }

  /** Per known peer, whether it holds author's event at `seq` (null: it has told no frontier yet). */
  holders(self: AuthorId, author: AuthorId, seq: number): { node: string; name: string; holds: boolean | null }[] {
    const out: { node: string; name: string; holds: boolean | null }[] = [];
    for (const [key, r] of this.peers) {
      if (key === self || key.startsWith('link:')) continue;
      const answers = [...r.views].map((v) => v.holds(author, seq));
      const holds = answers.includes(true) ? true : answers.includes(false) ? false : null;
      out.push({ node: key, name: r.name || key.slice(0, 8), holds });
    }
    return out;
  }

  /** Every peer node (not one still saying hello) with the frontier it last told on any link. */
  frontiers(self: AuthorId): PeerFrontier[] {
    const out: PeerFrontier[] = [];
    for (const [key, r] of this.peers) {
      if (key === self || key.startsWith('link:')) continue;
      const told = [...r.views].map((v) => v.peerHeads());
      const heads = told.includes('in_sync') ? 'in_sync' : (told.find((h) => h !== null) ?? null);
      out.push({ node: key, name: r.name, connected: r.views.size > 0, heads });
    }
    return out;
  }

  rows(self: AuthorId, describe: DescribePeer = () => ({ name: null, fleet: null })): PeerRowDto[] {
    const rows: PeerRowDto[] = [];
    for (const [key, r] of this.peers) {
      if (key === self) continue;
      for (const v of r.views) this.touch(v);
      const views = [...r.views];
      const lacks = views.map((v) => v.lacks()).find((l) => l !== null) ?? null;
      const links: PeerLinkDto[] = views.map((v) => {
        const q = v.link.quality();
        return {
          kind: v.link.kind,
          label: v.link.label,
          rssiDbm: q.rssiDbm ?? null,
          snrDb: q.snrDb ?? null,
          airtimeMs: q.airtimeMs ?? null,
          dutyCycleHeadroomPct: q.dutyCycleHeadroomPct ?? null,
          channelLoadPct: q.channelLoadPct ?? null,
        };
      });
      const known = key.startsWith('link:') ? null : describe(key);
      rows.push({
        node: key.startsWith('link:') ? '' : key,
        // The name its own signed profile gives, over whatever its hello claimed.
        name: known?.name ?? (r.name || (key.startsWith('link:') ? '(connecting)' : key.slice(0, 8))),
        connected: views.length > 0,
        lastHeardMs: r.lastHeardMs,
        links,
        weLack: lacks?.weLack ?? null,
        theyLack: lacks?.theyLack ?? null,
        inSync: views.some((v) => v.inSync()),
        queued: views.reduce((n, v) => n + v.queued(), 0),
        eventsSent: r.eventsSent + views.reduce((n, v) => n + v.stats().eventsSent, 0),
        eventsReceived: r.eventsReceived + views.reduce((n, v) => n + v.stats().eventsReceived, 0),
        bytesSent: r.bytesSent + views.reduce((n, v) => n + v.bytes().sent, 0),
        bytesReceived: r.bytesReceived + views.reduce((n, v) => n + v.bytes().received, 0),
        refused: views.flatMap((v) => v.refusals()),
        problems: [...r.problems.values()].sort((a, b) => (a.code < b.code ? -1 : 1)),
        fleet: known?.fleet ?? null,
        verified: views.some((v) => v.link.peerKey !== undefined && v.link.peerKey === key),
      });
    }
    return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
