// Importing a meshlogd data file (append-only JSONL, one {a,s,h,k,p,v,i} event per line).
//
// Each line's id is checked by meshlogd's own rule; feeds are reassembled in seq order by their
// prev links, whatever order the lines are in. A sound event becomes a Mandala event of the same
// author (a derived imported-author id), seq, HLC stamp, kind and payload, chained by Mandala ids.
// meshlogd signed nothing, so this node attests the imported feeds: an import.attest event in its
// own feed names them, and this node's key signs their heads. Nothing pretends the originals were
// signed: the feeds are marked imported everywhere they are shown.
//
// Writes go in batches, each one transaction, so a file that ends mid-line or holds bad lines
// imports everything sound, reports every bad line, and leaves the store consistent; importing
// the same file again changes nothing.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { TextDecoder } from 'node:util';
import type { CryptoPort, Signer } from '../../core/crypto/ports';
import type { Clock } from '../../core/clock/clock';
import { toHex } from '../../core/encoding/bytes';
import { EventFormatError, sealEvent, type AuthorId, type FeedEvent } from '../../core/events/event';
import { KINDS } from '../../core/events/kinds';
import { signHead } from '../../core/feed/head';
import type { IncomingRun } from '../../core/feed/ingest';
import type { FeedStore, LocalDraft } from '../../core/feed/store';
import { importedAuthorId } from '../../core/import/imported-author';
import { MeshlogChains, type ChainProblem, type ReadyEvent } from '../../core/import/meshlog-chains';
import { parseMeshlogLine } from '../../core/import/meshlog-line';
import type { AppendResultDto } from '../../shared/api';
import { MandalaError } from '../errors';

export interface ImportProgress {
  readonly bytesRead: number;
  readonly bytesTotal: number;
  readonly lines: number;
  readonly imported: number;
}

export interface ImportedFeed {
  readonly name: string;
  readonly author: AuthorId;
  readonly seq: number;
  /** meshlogd's id of the feed's last imported event. */
  readonly meshlogHead: string;
}

export interface ImportReport {
  readonly file: { readonly name: string; readonly bytes: number; readonly sha256: string };
  readonly lines: number;
  /** Events newly stored. */
  readonly imported: number;
  /** Events this store already held (an earlier import of the same data). */
  readonly alreadyHeld: number;
  /** Lines that repeat an event earlier in the file. */
  readonly duplicateLines: number;
  /** Every bad line: its number, a stable code and a sentence. */
  readonly problems: readonly ChainProblem[];
  readonly feeds: readonly ImportedFeed[];
}

export interface MeshlogImportOptions {
  readonly store: FeedStore;
  readonly crypto: CryptoPort;
  readonly identity: Signer & { readonly author: AuthorId };
  readonly clock: Clock;
  /** Appends this node's own events (the attestations), through its gates. */
  readonly append: (drafts: readonly LocalDraft[]) => AppendResultDto[];
  readonly onProgress?: (p: ImportProgress) => void;
  /** Events per transaction. */
  readonly batchEvents?: number;
  /** A head signature every this many events, so any stretch of the feed can travel alone. */
  readonly signEvery?: number;
}

const CHUNK = 1 << 20;
const PROGRESS_EVERY_MS = 200;

interface FeedCursor {
  readonly author: AuthorId;
  prev: string | null;
  /** An event of this feed could not become a Mandala event: nothing after it can be chained. */
  brokenAt: number | null;
}

export class MeshlogImporter {
  private readonly chains = new MeshlogChains();
  private readonly problems: ChainProblem[] = [];
  private readonly cursors = new Map<string, FeedCursor>();
  private readonly attested = new Set<string>();
  private batch: ReadyEvent[] = [];
  private imported = 0;
  private alreadyHeld = 0;
  private lines = 0;

  constructor(private readonly opts: MeshlogImportOptions) {}

  importFile(path: string): ImportReport {
    let size: number;
    try {
      size = statSync(path).size;
    } catch (e) {
      throw new MandalaError('import_unreadable', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const source = { format: 'meshlogd-jsonl', file: basename(path), bytes: size, sha256: this.fileHash(path) };
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const fd = openSync(path, 'r');
    let lastProgress = Number.NEGATIVE_INFINITY;
    let bytesRead = 0;
    try {
      const buf = Buffer.alloc(CHUNK);
      let carry = Buffer.alloc(0);
      for (;;) {
        const n = readSync(fd, buf, 0, CHUNK, null);
        const data = n > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : carry;
        bytesRead += n;
        let start = 0;
        for (let nl = data.indexOf(10, start); nl !== -1 || (n === 0 && start < data.length); nl = data.indexOf(10, start)) {
          const end = nl === -1 ? data.length : nl;
          this.line(data.subarray(start, end), decoder, source);
          start = end + 1;
        }
        carry = Buffer.from(data.subarray(Math.min(start, data.length)));
        const now = this.opts.clock.nowMs();
        if (this.opts.onProgress && (now - lastProgress >= PROGRESS_EVERY_MS || n === 0)) {
          lastProgress = now;
          this.opts.onProgress({ bytesRead, bytesTotal: size, lines: this.lines, imported: this.imported });
        }
        if (n === 0) break;
      }
    } finally {
      closeSync(fd);
    }
    this.flush(source);
    this.chains.finish();
    const problems = [...this.problems, ...this.chains.problems].sort((a, b) => a.line - b.line);
    const feeds = this.chains.heads().map((h) => ({ name: h.name, author: importedAuthorId(h.name, this.opts.crypto), seq: h.seq, meshlogHead: h.lastId }));
    if (this.imported > 0) this.attest(source, feeds, { lines: this.lines, imported: this.imported, problems: problems.length });
    return { file: { name: source.file, bytes: size, sha256: source.sha256 }, lines: this.lines, imported: this.imported, alreadyHeld: this.alreadyHeld, duplicateLines: this.chains.duplicates, problems, feeds };
  }

  private fileHash(path: string): string {
    const h = this.opts.crypto.sha256Stream();
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(CHUNK);
      for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0; n = readSync(fd, buf, 0, CHUNK, null)) h.update(buf.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    return toHex(h.digest());
  }

  private line(bytes: Uint8Array, decoder: TextDecoder, source: Record<string, string | number>): void {
    this.lines++;
    const lineNo = this.lines;
    let text: string;
    try {
      text = decoder.decode(bytes).trim();
    } catch {
      this.problems.push({ line: lineNo, code: 'not_utf8', message: 'the line is not valid UTF-8' });
      return;
    }
    if (text.length === 0) return;
    const r = parseMeshlogLine(text, this.opts.crypto);
    if (!r.ok) {
      this.problems.push({ line: lineNo, code: r.code, message: r.message });
      return;
    }
    for (const ready of this.chains.offer(r.event, lineNo)) this.batch.push(ready);
    if (this.batch.length >= (this.opts.batchEvents ?? 2000)) this.flush(source);
  }

  /** Writes the ready events: attest new feeds, then ingest them as runs this node signs. */
  private flush(source: Record<string, string | number>): void {
    if (this.batch.length === 0) return;
    const { store, crypto, identity } = this.opts;
    const batch = this.batch;
    this.batch = [];
    const fresh = [...new Set(batch.map((e) => e.name))].filter((n) => !this.attested.has(n));
    const unattested = fresh.filter((n) => !store.attestersOf(importedAuthorId(n, crypto)).includes(identity.author));
    if (unattested.length) this.attest(source, unattested.map((name) => ({ name, author: importedAuthorId(name, crypto) })), null);
    for (const n of fresh) this.attested.add(n);

    const byFeed = new Map<string, FeedEvent[]>();
    const lineOf = new Map<string, number>();
    for (const e of batch) {
      let cur = this.cursors.get(e.name);
      if (!cur) this.cursors.set(e.name, (cur = { author: importedAuthorId(e.name, crypto), prev: null, brokenAt: null }));
      if (cur.brokenAt !== null) {
        this.problems.push({ line: e.line, code: 'unreachable', message: `${e.name} seq ${e.seq} follows seq ${cur.brokenAt}, which could not be imported; not imported` });
        continue;
      }
      let ev: FeedEvent;
      try {
        ev = sealEvent({ author: cur.author, seq: e.seq, prev: cur.prev, hlc: e.hlc, kind: e.kind, payload: e.payload }, crypto);
      } catch (err) {
        if (!(err instanceof EventFormatError)) throw err;
        this.problems.push({ line: e.line, code: err.code, message: `${e.name} seq ${e.seq} cannot be a Mandala event: ${err.message}` });
        cur.brokenAt = e.seq;
        continue;
      }
      cur.prev = ev.id;
      let list = byFeed.get(cur.author);
      if (!list) byFeed.set(cur.author, (list = []));
      list.push(ev);
      lineOf.set(`${cur.author}:${e.seq}`, e.line);
    }
    const runs: IncomingRun[] = [];
    const every = this.opts.signEvery ?? 64;
    for (const [author, events] of byFeed) {
      for (let i = 0; i < events.length; i += every) {
        const run = events.slice(i, i + every);
        const last = run[run.length - 1]!;
        runs.push({ author, events: run, sig: signHead(identity, author, last.seq, last.id) });
      }
    }
    const outcome = store.ingest(runs, this.opts.clock.nowMs());
    this.imported += outcome.appended.length;
    this.alreadyHeld += outcome.duplicates;
    for (const r of outcome.rejections) {
      this.problems.push({ line: lineOf.get(`${r.author}:${r.seq ?? 0}`) ?? 0, code: r.code, message: `the store refused it: ${r.message}` });
    }
    for (const f of outcome.forks) {
      this.problems.push({ line: lineOf.get(`${f.author}:${f.seq}`) ?? 0, code: 'history_differs', message: `this node already holds a different history for that author at seq ${f.seq} (another file?); the feed is quarantined and both kept as evidence` });
    }
  }

  private attest(source: Record<string, string | number>, feeds: readonly { name: string; author: AuthorId; seq?: number; meshlogHead?: string }[], complete: Record<string, number> | null): void {
    const payload = {
      source,
      feeds: feeds.map((f) => ({ author: f.author, name: f.name, seq: f.seq, meshlog_head: f.meshlogHead })),
      complete: complete ?? undefined,
    };
    const [r] = this.opts.append([{ kind: KINDS.importAttest, payload }]);
    if (!r?.ok) throw new MandalaError('import_attest_refused', `this node could not record the import attestation: ${r?.ok === false ? r.message : 'no result'}`);
  }
}
