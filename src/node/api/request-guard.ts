// Who may use the console and its API. A browser can be made to send requests to any address it
// can reach, with any Host a DNS name resolves to (DNS rebinding), so the console answers only:
//   - requests whose Host is one of this node's own names (its bound addresses, localhost,
//     127.0.0.1, [::1], and any name the operator allowed);
//   - WebSocket upgrades whose Origin is absent (a program, not a page) or one of those names;
//     `Origin: null` (a sandboxed or file:// page) never;
//   - when the console is reachable from other machines, clients presenting the access token.
// Everything here parses defensively: a malformed header is a refusal, never an exception.
import { timingSafeEqual } from 'node:crypto';

export interface GuardOptions {
  /** Host names (no port) this node answers to. */
  readonly hosts: readonly string[];
  /** Required from API clients when set (the console is reachable from other machines). */
  readonly accessToken?: string;
  /** Where the token is kept, to name in refusals. */
  readonly accessTokenFile?: string;
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly status: 400 | 401 | 403; readonly code: string; readonly message: string };

const OK: Verdict = { ok: true };

function refuse(status: 400 | 401 | 403, code: string, message: string): Verdict {
  return { ok: false, status, code, message };
}

/** The host part of a Host header ("[::1]:7420" -> "[::1]", "Camp.local" -> "camp.local"), or null. */
export function hostOf(header: string | undefined): string | null {
  if (!header || header.length > 255) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(header.trim());
  return m ? m[1]!.toLowerCase() : null;
}

/** The host of an Origin header's URL, or null for `null`, non-http(s) or malformed origins. */
export function originHost(origin: string): string | null {
  const m = /^https?:\/\/([^/?#]+)$/i.exec(origin.trim());
  return m ? hostOf(m[1]) : null;
}

export function tokenMatches(given: string | null | undefined, want: string): boolean {
  if (!given || given.length !== want.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(want));
}

export class RequestGuard {
  private readonly hosts: Set<string>;

  constructor(private readonly opts: GuardOptions) {
    this.hosts = new Set(opts.hosts.map((h) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h).toLowerCase()));
  }

  get needsToken(): boolean {
    return this.opts.accessToken !== undefined;
  }

  /** Any console request: the Host must be one of ours. */
  checkHost(hostHeader: string | undefined): Verdict {
    const host = hostOf(hostHeader);
    if (host === null) return refuse(400, 'bad_host', 'the request has no valid Host header');
    if (!this.hosts.has(host)) {
      return refuse(403, 'host_not_allowed', `this node does not answer to "${host}"; open the console at an address it listens on (or start it with --allow-host ${host})`);
    }
    return OK;
  }

  /** A WebSocket upgrade: Host, then Origin, then the token when one is required. */
  checkUpgrade(hostHeader: string | undefined, origin: string | undefined, token: string | null): Verdict {
    const host = this.checkHost(hostHeader);
    if (!host.ok) return host;
    if (origin !== undefined) {
      const from = originHost(origin);
      if (from === null) return refuse(403, 'origin_not_allowed', `pages from origin "${origin.slice(0, 60)}" may not use this node's API`);
      if (!this.hosts.has(from)) return refuse(403, 'origin_not_allowed', `a page from ${from} may not use this node's API`);
    }
    return this.checkToken(token);
  }

  checkToken(token: string | null): Verdict {
    if (this.opts.accessToken === undefined || tokenMatches(token, this.opts.accessToken)) return OK;
    const where = this.opts.accessTokenFile ?? 'the data folder\'s console-token file';
    return token
      ? refuse(401, 'token_wrong', `that access token is not this node's: use the one in ${where} (the URL \`mandala serve\` printed carries it)`)
      : refuse(401, 'token_required', `this console is reachable from other machines: open it with the URL \`mandala serve\` printed (it carries the access token, also in ${where}), or send \`Authorization: Bearer TOKEN\``);
  }
}
