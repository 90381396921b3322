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
