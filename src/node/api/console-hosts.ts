// The names a console answers to, from the address it is bound to, and what binding there
// exposes, in words for the operator.
import { hostname, networkInterfaces } from 'node:os';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.includes(host.replace(/^\[|\]$/g, '')) || host.startsWith('127.');
}

export function isWildcard(host: string): boolean {
  return WILDCARDS.has(host);
}

/** This machine's addresses on its networks (not loopback). */
export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && !i.internal)
    .map((i) => i!.address);
}

/** Host names the console accepts in Host and Origin when bound to `bindHost`. */
export function consoleHosts(bindHost: string, allowed: readonly string[] = []): string[] {
  const hosts = new Set<string>([...LOOPBACK_NAMES, ...allowed]);
  if (isWildcard(bindHost)) {
    for (const a of interfaceAddresses()) hosts.add(a);
    const name = hostname();
    hosts.add(name);
    hosts.add(`${name}.local`);
  } else {
    hosts.add(bindHost.replace(/^\[|\]$/g, ''));
  }
  return [...hosts];
}

/** What listening on `bindHost` exposes, for the operator to read at start-up. */
export interface Exposure {
  /** The fleet this node belongs to (its id and name); null for an open node. */
  readonly fleet: { readonly id: string; readonly name: string | null } | null;
  /** Where the console's access token is kept. */
  readonly tokenFile: string;
}

export function exposureLines(bindHost: string, port: number, what: Exposure): string[] {
  if (isLoopback(bindHost)) return [`reachable from this machine only (${bindHost}:${port}); use --host 0.0.0.0 to accept LAN peers`];
  const where = isWildcard(bindHost) ? interfaceAddresses() : [bindHost];
  return [
    `exposed: port ${port} on ${where.length ? where.join(', ') : 'every interface'} is reachable from other machines`,
    `  the console and its API: only with the access token (in the URL above; also in ${what.tokenFile})`,
    what.fleet
      ? `  LAN sync: only nodes of fleet ${what.fleet.name ?? what.fleet.id.slice(0, 8)} that an admin admitted (each proves its key in a handshake)`
      : '  LAN sync: this node is open, so any machine can sync with it (it stores only events their authors signed); a fleet (`mandala init --fleet NAME`) admits only its own nodes',
  ];
}
