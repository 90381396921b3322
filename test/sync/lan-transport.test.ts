// PROVES: the LAN (TCP) transport meets the transport contract over real sockets, refuses a
//         frame that claims a huge length without allocating it, and reports unreachable peers
//         and busy ports in words a person can act on.
import { createConnection } from 'node:net';
import { expect, it } from 'vitest';
import type { Link } from '../../src/core/sync/transport';
import { RealScheduler } from '../../src/node/clock/real-scheduler';
import { SystemClock } from '../../src/node/clock/system-clock';
import { LanTransport } from '../../src/node/transports/lan/lan-transport';
import { SYNC_PREFACE } from '../../src/node/transports/lan/framing';
import { toHex } from '../../src/core/encoding/bytes';
import { identity } from '../support/feeds';
import { waitFor } from '../support/wait';
import { runTransportSuite } from './transport-suite';

const scheduler = () => new RealScheduler(new SystemClock());
const keys = (label: string) => identity(label).handshakeKeyPair();

runTransportSuite('lan', async () => {
  const b = new LanTransport({ scheduler: scheduler(), listen: { host: '127.0.0.1', port: 0 }, mtu: 1024 * 1024, keyPair: keys('lan-l19') });
  const a = new LanTransport({ scheduler: scheduler(), mtu: 1024 * 1024, keyPair: keys('lan-1') });
  await b.start();
  await a.start();
  return {
    a,
    b,
    linkUp: async () => {
      const far = new Promise<Link>((resolve) => b.events.on('link', resolve));
      const near = await a.dial(`127.0.0.1:${b.boundPort}`);
      return [near, await far];
    },
    waitFor: (cond, what) => waitFor(cond, what),
    teardown: async () => {
      await a.stop();
      await b.stop();
    },
  };
});

it('a_frame_claiming_a_huge_length_closes_only_that_link_with_a_reason', async () => {
  const b = new LanTransport({ scheduler: scheduler(), listen: { host: '127.0.0.1', port: 0 }, keyPair: keys('lan-l40') });
  await b.start();
  const problems: string[] = [];
  b.events.on('problem', (code) => problems.push(code));
  const sock = createConnection({ host: '127.0.0.1', port: b.boundPort! });
  await new Promise((r) => sock.once('connect', r));
  sock.write(Buffer.concat([SYNC_PREFACE, Buffer.from([0xff, 0xff, 0xff, 0xf0])]));
  await waitFor(() => problems.length > 0, 'the transport to report the frame');
  expect(problems).toEqual(['frame_too_large']);
  // The transport still accepts new links.
  const a = new LanTransport({ scheduler: scheduler(), keyPair: keys('lan-2') });
  const link = await a.dial(`127.0.0.1:${b.boundPort}`);
  expect(link.closed).toBe(false);
  link.close();
  sock.destroy();
  await b.stop();
});

it('dialing_a_port_nobody_listens_on_says_so', async () => {
  const a = new LanTransport({ scheduler: scheduler(), keyPair: keys('lan-3') });
  const probe = new LanTransport({ scheduler: scheduler(), listen: { host: '127.0.0.1', port: 0 }, keyPair: keys('lan-l60') });
  await probe.start();
  const freePort = probe.boundPort!;
  await probe.stop();
  await expect(a.dial(`127.0.0.1:${freePort}`)).rejects.toMatchObject({ code: 'peer_unreachable', message: expect.stringMatching(/nothing is listening/) });
});

it('listening_on_a_busy_port_fails_with_port_busy', async () => {
  const first = new LanTransport({ scheduler: scheduler(), listen: { host: '127.0.0.1', port: 0 }, keyPair: keys('lan-l68') });
  await first.start();
  const second = new LanTransport({ scheduler: scheduler(), listen: { host: '127.0.0.1', port: first.boundPort! }, keyPair: keys('lan-l70') });
  await expect(second.start()).rejects.toMatchObject({ code: 'port_busy', message: expect.stringMatching(/already in use/) });
  await first.stop();
});

it('a_connection_that_never_finishes_the_handshake_is_cut_off_and_links_are_capped', async () => {
  const b = new LanTransport({ scheduler: scheduler(), listen: { host: '127.0.0.1', port: 0 }, keyPair: keys('lan-budget'), handshakeTimeoutMs: 300, maxLinks: 2 });
  await b.start();
  const problems: string[] = [];
  b.events.on('problem', (code) => problems.push(code));
  // Stalls after the preface: no handshake ever comes.
  const staller = createConnection({ host: '127.0.0.1', port: b.boundPort! });
  let stallerClosed = false;
  staller.on('close', () => (stallerClosed = true));
  staller.on('error', () => undefined);
  await new Promise((r) => staller.once('connect', r));
  staller.write(SYNC_PREFACE);
  await waitFor(() => stallerClosed, 'the stalled connection to be closed');
  expect(problems).toContain('handshake_timeout');
  // Two real links fill the cap; a third is refused with a reason.
  const dialers = ['cap-1', 'cap-2', 'cap-3'].map((l) => new LanTransport({ scheduler: scheduler(), keyPair: keys(l) }));
  const first = await dialers[0]!.dial(`127.0.0.1:${b.boundPort}`);
  const second = await dialers[1]!.dial(`127.0.0.1:${b.boundPort}`);
  await expect(dialers[2]!.dial(`127.0.0.1:${b.boundPort}`)).rejects.toThrow();
  expect(problems).toContain('too_many_connections');
  expect(first.closed || second.closed).toBe(false);
  for (const d of dialers) await d.stop();
  staller.destroy();
  await b.stop();
});

it('a_link_that_goes_silent_is_closed_after_the_idle_timeout_while_a_live_one_stays', async () => {
  const b = new LanTransport({ scheduler: scheduler(), listen: { host: '127.0.0.1', port: 0 }, keyPair: keys('lan-idle'), idleTimeoutMs: 600 });
  await b.start();
  const links: Link[] = [];
  b.events.on('link', (l) => links.push(l));
  // A peer that completes the handshake, then never sends a byte (no keep-alives).
  const NoiseSecretStream = (await import('@hyperswarm/secret-stream')).default;
  const raw = createConnection({ host: '127.0.0.1', port: b.boundPort! });
  raw.on('error', () => undefined);
  await new Promise((r) => raw.once('connect', r));
  raw.write(SYNC_PREFACE);
  const silent = new NoiseSecretStream(true, raw, { keyPair: keys('lan-silent') });
  silent.on('error', () => undefined);
  silent.on('data', () => undefined);
  // A well-behaved peer (its transport sends keep-alives).
  const live = new LanTransport({ scheduler: scheduler(), keyPair: keys('lan-live'), idleTimeoutMs: 600 });
  const liveLink = await live.dial(`127.0.0.1:${b.boundPort}`);
  await waitFor(() => links.length === 2, 'both links');
  const silentSide = links.find((l) => l.peerKey === toHex(new Uint8Array(keys('lan-silent').publicKey)))!;
  await waitFor(() => silentSide.closed, 'the silent link to time out', 5000);
  expect(liveLink.closed, 'the live link is kept by its keep-alives').toBe(false);
  await live.stop();
  raw.destroy();
  await b.stop();
});
