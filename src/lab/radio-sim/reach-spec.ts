// The reach format: who hears whom, and how well. It is both the file format of DIR/reach.json
// and the argument of RadioSimulator.setReach(). Pure: parsing and validation only; it never reads
// a file or touches the channel.
//
//   { "links": [[0, 1], [1, 2]], "rssiDbm": -95, "snrDb": 6 }
//       Undirected links: 0 and 1 hear each other, 1 and 2 hear each other, 0 and 2 do not.
//       Radios not named in any link hear nobody.
//   { "links": [[0, 1], { "from": 1, "to": 2, "rssiDbm": -118, "snrDb": -9, "oneWay": true }] }
//       A link may carry its own figures; "oneWay" makes it directed (2 hears 1, 1 does not hear 2).
//   { "matrix": [[null, -95, null], [-95, null, true], [null, { "rssiDbm": -100, "snrDb": 2 }, null]] }
//       Full matrix, matrix[from][to]: a number is the RSSI in dBm (SNR from the top level), true
//       uses the top-level figures, an object gives both, null or false means out of reach. It must
//       be nodes x nodes; the diagonal is ignored.
//   { "all": true, "rssiDbm": -90, "snrDb": 8 }
//       Everyone hears everyone: the default when there is no reach file.
//
// Top-level "rssiDbm" and "snrDb" default to -90 dBm and 8 dB. Exactly one of links, matrix and
// all must be present.
import type { ReachEntry } from './rf-channel';
import { MandalaError } from '../../node/errors';

export const DEFAULT_REACH: ReachEntry = { rssiDbm: -90, snrDb: 8 };

/** matrix[from][to]; null = `to` does not hear `from`. */
export type ReachMatrix = (ReachEntry | null)[][];

export type ReachLink = readonly [number, number] | { readonly from: number; readonly to: number; readonly rssiDbm?: number; readonly snrDb?: number; readonly oneWay?: boolean };

export type ReachCell = ReachEntry | number | boolean | null;

export type ReachSpec = { readonly rssiDbm?: number; readonly snrDb?: number } & (
  | { readonly links: readonly ReachLink[] }
  | { readonly matrix: readonly (readonly ReachCell[])[] }
  | { readonly all: true }
);

export function emptyMatrix(nodes: number): ReachMatrix {
  return Array.from({ length: nodes }, () => Array.from({ length: nodes }, (): ReachEntry | null => null));
}

export function allToAll(nodes: number, figures: ReachEntry = DEFAULT_REACH): ReachMatrix {
  return Array.from({ length: nodes }, (_, from) => Array.from({ length: nodes }, (_, to) => (from === to ? null : { ...figures })));
}

function bad(message: string): MandalaError {
  return new MandalaError('radio_sim_bad_reach', `reach: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function figure(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`"${name}" must be a number, not ${JSON.stringify(v)}`);
  return v;
}

function radio(v: unknown, nodes: number, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= nodes) throw bad(`${where}: ${JSON.stringify(v)} is not a radio index (0..${nodes - 1})`);
  return v;
}

/** Validates a spec (parsed JSON or a literal) and returns the matrix it describes. */
export function reachMatrix(spec: unknown, nodes: number): ReachMatrix {
  if (!isObject(spec)) throw bad('expected an object with "links", "matrix" or "all"');
  const defaults: ReachEntry = { rssiDbm: figure(spec['rssiDbm'], 'rssiDbm', DEFAULT_REACH.rssiDbm), snrDb: figure(spec['snrDb'], 'snrDb', DEFAULT_REACH.snrDb) };
  const kinds = ['links', 'matrix', 'all'].filter((k) => spec[k] !== undefined);
  if (kinds.length !== 1) throw bad(`give exactly one of "links", "matrix" or "all" (found ${kinds.length ? kinds.join(', ') : 'none'})`);
  if (spec['all'] !== undefined) {
    if (spec['all'] !== true) throw bad('"all" can only be true');
    return allToAll(nodes, defaults);
  }
  if (spec['links'] !== undefined) return fromLinks(spec['links'], nodes, defaults);
  return fromMatrix(spec['matrix'], nodes, defaults);
}

function fromLinks(links: unknown, nodes: number, defaults: ReachEntry): ReachMatrix {
  if (!Array.isArray(links)) throw bad('"links" must be a list such as [[0, 1], [1, 2]]');
  const m = emptyMatrix(nodes);
  links.forEach((link: unknown, i) => {
    const where = `links[${i}]`;
    let from: number, to: number, entry: ReachEntry, oneWay: boolean;
    if (Array.isArray(link)) {
      if (link.length !== 2) throw bad(`${where} must be a pair [a, b]`);
      [from, to, entry, oneWay] = [radio(link[0], nodes, where), radio(link[1], nodes, where), defaults, false];
    } else if (isObject(link)) {
      from = radio(link['from'], nodes, `${where}.from`);
      to = radio(link['to'], nodes, `${where}.to`);
      entry = { rssiDbm: figure(link['rssiDbm'], `${where}.rssiDbm`, defaults.rssiDbm), snrDb: figure(link['snrDb'], `${where}.snrDb`, defaults.snrDb) };
      if (link['oneWay'] !== undefined && typeof link['oneWay'] !== 'boolean') throw bad(`${where}.oneWay must be true or false`);
      oneWay = link['oneWay'] === true;
    } else {
      throw bad(`${where} must be [a, b] or { "from": a, "to": b, ... }`);
    }
    if (from === to) throw bad(`${where} links radio ${from} to itself`);
    m[from]![to] = { ...entry };
    if (!oneWay) m[to]![from] = { ...entry };
  });
  return m;
}

function fromMatrix(rows: unknown, nodes: number, defaults: ReachEntry): ReachMatrix {
  if (!Array.isArray(rows) || rows.length !== nodes) throw bad(`"matrix" must have ${nodes} rows, one per radio`);
  return rows.map((row: unknown, from) => {
    if (!Array.isArray(row) || row.length !== nodes) throw bad(`matrix[${from}] must have ${nodes} entries`);
    return row.map((cell: unknown, to): ReachEntry | null => {
      const where = `matrix[${from}][${to}]`;
      if (from === to || cell === null || cell === false) return null;
      if (cell === true) return { ...defaults };
      if (typeof cell === 'number') return { rssiDbm: figure(cell, where, 0), snrDb: defaults.snrDb };
      if (isObject(cell)) return { rssiDbm: figure(cell['rssiDbm'], `${where}.rssiDbm`, defaults.rssiDbm), snrDb: figure(cell['snrDb'], `${where}.snrDb`, defaults.snrDb) };
      throw bad(`${where} must be null, true, an RSSI in dBm or { "rssiDbm", "snrDb" }`);
    });
  });
}

/** Parses reach.json text. Throws radio_sim_bad_reach with the JSON or format problem. */
export function parseReach(text: string, nodes: number): ReachMatrix {
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (e) {
    throw bad(`not valid JSON (${(e as Error).message})`);
  }
  return reachMatrix(spec, nodes);
}

/** Undirected pairs that hear each other both ways, and one-way paths, for logs. */
export function describeReach(m: ReachMatrix): string {
  const parts: string[] = [];
  m.forEach((row, a) =>
    row.forEach((e, b) => {
      if (!e) return;
      const back = m[b]?.[a];
      if (back && a < b) parts.push(`${a}-${b}`);
      else if (!back) parts.push(`${a}->${b}`);
    }),
  );
  return parts.length ? parts.join(' ') : 'nobody hears anybody';
}
