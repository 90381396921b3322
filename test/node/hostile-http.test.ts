// PROVES: a real `mandala serve` survives a corpus of malformed requests and upgrades sent over
//         raw TCP (bad request-targets, bad headers, huge headers, bad upgrades, Origin: null,
//         slowloris), answering each with a 4xx or closing it, and stays up for the next client;
//         it answers only to its own names (DNS rebinding is refused), refuses pages from other
//         origins, and once reachable from other machines wants the access token.
// CATCHES: one request that kills the node for every dispatcher and every truck behind it.
import { connect } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../support/cli';
import { waitFor } from '../support/wait';

/** Sends raw bytes; returns what came back by the time the server closed, went quiet, or `waitMs` passed. */
function raw(port: number, bytes: string | Buffer, waitMs = 1500): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let got = '';
    let quiet: ReturnType<typeof setTimeout> | null = null;
    const done = () => {
      socket.destroy();
      resolve(got);
    };
    socket.on('data', (d) => {
      got += d.toString('latin1');
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(done, 150);
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => socket.write(bytes));
    setTimeout(done, waitMs);
  });
}

const UPGRADE = (extra: string, path = '/api/ws', host = '127.0.0.1') =>
  `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

/** `any`: a harmless oddity that may be answered normally; otherwise a 4xx or a closed socket. */
const CORPUS: { name: string; bytes: string | Buffer; any?: true }[] = [
  { name: 'a percent sign alone in the path', bytes: 'GET /% HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' },
  { name: 'a truncated percent escape', bytes: 'GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' },
  { name: 'an encoded NUL', bytes: 'GET /index.html%00.png HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' },
  { name: 'encoded traversal', bytes: 'GET /..%2f..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' },
  { name: 'an absolute-form target', bytes: 'GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' },
  { name: 'a protocol-relative target', bytes: 'GET //evil.example/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', any: true },
  { name: 'an asterisk target', bytes: 'OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' },
  { name: 'a garbage request line', bytes: '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n' },
  { name: 'HTTP/0.9', bytes: 'GET /\r\n' },
  { name: 'no Host header', bytes: 'GET /api/health HTTP/1.1\r\n\r\n' },
  { name: 'a Host with a path in it', bytes: 'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1/evil\r\n\r\n' },
  { name: 'a header with a control character', bytes: 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: a\x01b\r\n\r\n' },
  { name: 'a header without a colon', bytes: 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nthis is not a header\r\n\r\n' },
  { name: 'a 64 KB header', bytes: `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n` },
  { name: 'a bad Content-Length', bytes: 'POST /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n' },
  { name: 'two Content-Lengths', bytes: 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd' },
  { name: 'bad chunked encoding', bytes: 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n' },
  { name: 'an upgrade with Origin: null', bytes: UPGRADE('Origin: null\r\n') },
  { name: 'an upgrade with an Origin that is not a URL', bytes: UPGRADE('Origin: ::::not a url\r\n') },
  { name: 'an upgrade with a foreign Origin', bytes: UPGRADE('Origin: http://evil.example\r\n') },
  { name: 'an upgrade with a foreign Host and Origin (DNS rebinding)', bytes: UPGRADE('Origin: http://evil.example:7420\r\n', '/api/ws', 'evil.example:7420') },
  { name: 'an upgrade with a percent sign in the path', bytes: UPGRADE('', '/api/ws%') },
  { name: 'an upgrade with a malformed query', bytes: UPGRADE('', '/api/ws?token=%%%&&=='), any: true },
  { name: 'an upgrade without a key', bytes: 'GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n' },
  { name: 'an upgrade to another protocol', bytes: 'GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n' },
  { name: 'a truncated sync preface then garbage', bytes: Buffer.from('MNDL\x01\xff\xff\xff\xffgarbage', 'latin1') },
  { name: 'a request that stops half-way', bytes: 'GET /api/health HTTP/1.1\r\nHost: 127.0' },
];

async function healthy(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/api/health`);
  return res.ok && ((await res.json()) as { ok?: unknown }).ok === true;
}

describe('a serving node under malformed and hostile requests', () => {
  const root = mkdtempSync(join(tmpdir(), 'mandala-hostile-http-'));
  let node: Served;
  beforeAll(async () => {
    node = await serve(['--data', join(root, 'a'), '--port', '0']);
  });
  afterAll(async () => {
    await node.stop();
  });

  for (const c of CORPUS) {
    it(`survives ${c.name}`, async () => {
      const answer = await raw(node.port, c.bytes);
      if (answer.startsWith('HTTP/1.1 ')) {
        const status = Number(answer.slice(9, 12));
        if (c.any) expect(status < 500, `${c.name}: answered ${answer.slice(0, 40)}`).toBe(true);
        else expect(status >= 400 && status < 500, `${c.name}: answered ${answer.slice(0, 40)}`).toBe(true);
      }
      expect(node.child.exitCode, `node exited after ${c.name}: ${node.output()}`).toBeNull();
      expect(await healthy(node.port), `node unhealthy after ${c.name}`).toBe(true);
    });
  }

  it('refuses_a_foreign_host_a_foreign_origin_and_origin_null_but_serves_its_own_page', async () => {
    expect(await raw(node.port, 'GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n')).toMatch(/^HTTP\/1\.1 403[\s\S]*host_not_allowed/);
    expect(await raw(node.port, UPGRADE('Origin: null\r\n'))).toMatch(/^HTTP\/1\.1 403[\s\S]*origin_not_allowed/);
    expect(await raw(node.port, UPGRADE(`Origin: http://evil.example\r\n`))).toMatch(/^HTTP\/1\.1 403/);
    expect(await raw(node.port, UPGRADE(`Origin: http://127.0.0.1:${node.port}\r\n`), 800)).toMatch(/^HTTP\/1\.1 101 Switching Protocols/);
    expect(await raw(node.port, UPGRADE(`Origin: http://localhost:${node.port}\r\n`, '/api/ws', `localhost:${node.port}`), 800)).toMatch(/^HTTP\/1\.1 101/);
  });

  it('a_slowloris_client_is_cut_off_and_others_are_served_meanwhile', async () => {
    const socket = connect({ host: '127.0.0.1', port: node.port });
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const trickle = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 1000);
    try {
      expect(await healthy(node.port)).toBe(true);
      await waitFor(() => closed, 'the node to hang up on a client that never finishes its headers', 25_000, 200);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  }, 40_000);
});

describe('a node reachable from other machines', () => {
  const root = mkdtempSync(join(tmpdir(), 'mandala-exposed-'));
  let node: Served;
  beforeAll(async () => {
    node = await serve(['--data', join(root, 'b'), '--port', '0', '--host', '0.0.0.0', '--no-discover']);
  });
  afterAll(async () => {
    await node.stop();
  });

  it('says_plainly_what_is_exposed_and_wants_the_token_for_its_api', async () => {
    await waitFor(() => /only with the access token/.test(node.output()), 'serve to say what it exposes');
    expect(node.output()).toMatch(/exposed: port \d+ on .* is reachable from other machines/);
    expect(node.output()).toMatch(/only with the access token/);
    const token = new URL(node.url).searchParams.get('token');
    expect(token, 'the printed URL carries the token').toBeTruthy();
    expect(await raw(node.port, UPGRADE(''))).toMatch(/^HTTP\/1\.1 401[\s\S]*token_required/);
    expect(await raw(node.port, UPGRADE('', `/api/ws?token=${token}`), 800)).toMatch(/^HTTP\/1\.1 101/);
    const anonymous = await (await fetch(`http://127.0.0.1:${node.port}/api/health`)).json();
    expect(anonymous, 'without the token the health check names nothing').toEqual({ ok: true, version: expect.any(String) });
    const full = await (await fetch(`http://127.0.0.1:${node.port}/api/health?token=${token}`)).json();
    expect(full).toMatchObject({ ok: true, node: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Scripts and monitors send the token as a bearer header; a wrong one is refused, not ignored.
    const bearer = await (await fetch(`http://127.0.0.1:${node.port}/api/health`, { headers: { Authorization: `Bearer ${token}` } })).json();
    expect(bearer).toMatchObject({ ok: true, node: (full as { node: string }).node });
    const wrong = await fetch(`http://127.0.0.1:${node.port}/api/health`, { headers: { Authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'token_wrong', message: expect.stringMatching(/console-token/) });
    expect(await raw(node.port, UPGRADE(`Authorization: Bearer ${token}\r\n`), 800)).toMatch(/^HTTP\/1\.1 101/);
    // An open node says that anyone may sync with it, and where the token is kept.
    expect(node.output()).toMatch(/LAN sync: this node is open, so any machine can sync with it/);
    expect(node.output()).toContain(`also in ${join(root, 'b', 'console-token')}`);
  });
});
