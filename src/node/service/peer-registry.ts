// What the frontier table shows: one row per peer node (however many links reach it), with last
// heard, what each side lacks, sync progress, link figures, refusals and bad input by reason.
import type { AuthorId } from '../../core/events/event';
import type { PeerLinkDto, PeerRowDto, ProblemDto } from '../../shared/api';
import type { PeerConnection } from './peer-connection';

interface PeerRecord {
  name: string;
  lastHeardMs: number | null;
  readonly problems: Map<string, ProblemDto>;
  readonly connections: Set<PeerConnection>;
  eventsSent: number;
  eventsReceived: number;
}

/** Key for a connection whose peer has not said hello yet. */
function provisionalKey(conn: PeerConnection): string {
  return `link:${conn.link.id}`;
}

export class PeerRegistry {
  private readonly peers = new Map<string, PeerRecord>();
  private readonly keyOf = new Map<PeerConnection, string>();

  private record(key: string): PeerRecord {
    let r = this.peers.get(key);
    if (!r) {
      r = { name: '', lastHeardMs: null, problems: new Map(), connections: new Set(), eventsSent: 0, eventsReceived: 0 };
      this.peers.set(key, r);
    }
    return r;
  }

  /** Files a connection under its peer's node id once it is known. */
  track(conn: PeerConnection): void {
    const key = conn.session.peer?.node ?? provisionalKey(conn);
    const old = this.keyOf.get(conn);
    if (old === key) {
      this.touch(conn);
      return;
    }
    if (old) {
      const prev = this.peers.get(old);
      prev?.connections.delete(conn);
      if (prev && old.startsWith('link:')) {
        const next = this.record(key);
        for (const [code, p] of prev.problems) next.problems.set(code, p);
        this.peers.delete(old);
      }
    }
    this.keyOf.set(conn, key);
    this.record(key).connections.add(conn);
    this.touch(conn);
  }

  private touch(conn: PeerConnection): void {
    const r = this.peers.get(this.keyOf.get(conn)!);
    if (!r) return;
    if (conn.session.peer) r.name = conn.session.peer.name;
    const heard = conn.session.stats.lastHeardMs;
    if (heard !== null && (r.lastHeardMs === null || heard > r.lastHeardMs)) r.lastHeardMs = heard;
  }

  untrack(conn: PeerConnection): void {
    const key = this.keyOf.get(conn);
    if (!key) return;
    const r = this.peers.get(key);
    if (r) {
      r.eventsSent += conn.session.stats.eventsSent;
      r.eventsReceived += conn.session.stats.eventsReceived;
      r.connections.delete(conn);
      if (key.startsWith('link:')) this.peers.delete(key);
    }
    this.keyOf.delete(conn);
  }

  problem(conn: PeerConnection, code: string, message: string, nowMs: number): void {
    const key = this.keyOf.get(conn) ?? provisionalKey(conn);
    const r = this.record(key);
    const prev = r.problems.get(code);
    r.problems.set(code, { code, message, atMs: nowMs, count: (prev?.count ?? 0) + 1 });
  }

  connections(): PeerConnection[] {
    return [...this.keyOf.keys()];
  }

  rows(self: AuthorId): PeerRowDto[] {
    const rows: PeerRowDto[] = [];
    for (const [key, r] of this.peers) {
      if (key === self) continue;
      for (const c of r.connections) this.touch(c);
      const conns = [...r.connections];
      const lacks = conns.map((c) => c.session.lacks()).find((l) => l !== null) ?? null;
      const links: PeerLinkDto[] = conns.map((c) => {
        const q = c.link.quality();
        return {
          kind: c.link.kind,
          label: c.link.label,
          rssiDbm: q.rssiDbm ?? null,
          snrDb: q.snrDb ?? null,
          airtimeMs: q.airtimeMs ?? null,
          dutyCycleHeadroomPct: q.dutyCycleHeadroomPct ?? null,
        };
      });
      const refused = conns.flatMap((c) => [...c.session.refused.entries()].map(([author, v]) => ({ author, code: v.code })));
      rows.push({
        node: key.startsWith('link:') ? '' : key,
        name: r.name || (key.startsWith('link:') ? '(connecting)' : key.slice(0, 8)),
        connected: conns.length > 0,
        lastHeardMs: r.lastHeardMs,
        links,
        weLack: lacks?.weLack ?? null,
        theyLack: lacks?.theyLack ?? null,
        inSync: conns.some((c) => c.session.inSync),
        queued: conns.reduce((n, c) => n + c.session.queuedEvents, 0),
        eventsSent: r.eventsSent + conns.reduce((n, c) => n + c.session.stats.eventsSent, 0),
        eventsReceived: r.eventsReceived + conns.reduce((n, c) => n + c.session.stats.eventsReceived, 0),
        refused,
        problems: [...r.problems.values()].sort((a, b) => (a.code < b.code ? -1 : 1)),
      });
    }
    return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
