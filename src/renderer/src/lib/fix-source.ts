// Where a position came from, in a dispatcher's words, from its event's `source` field: this
// node's GPS, a phone reporting by the OsmAnd protocol (nobody signed the report: the node that
// took it in vouches for it), a vendor's signed webhook, or typed in on a node.
export interface FixSource {
  readonly text: string;
  /** True when nothing but the network path vouches for the report (a phone's). */
  readonly unsigned: boolean;
}

export function describeFixSource(source: unknown): FixSource {
  if (source === 'gps') return { text: 'the GPS of the node that signed it', unsigned: false };
  if (typeof source === 'string' && source.startsWith('osmand:')) return { text: `phone ${source.slice('osmand:'.length)} · unsigned device report`, unsigned: true };
  if (source === 'webhook') return { text: 'a signed webhook (the node\'s webhook secret)', unsigned: false };
  if (typeof source === 'string' && source !== '') return { text: `${source} · signed webhook`, unsigned: false };
  return { text: 'entered on the node that signed it', unsigned: false };
}
