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
import type { AttestationIndex } from '../../core/store/feed-store';
import type { FeedAppender, FeedLog } from '../../core/store/feed-log';
import type { LocalDraft } from '../../core/store/feed-log';
import { importedAuthorId, orderWarnings } from '../../core/import/imported-author';
import { MeshlogChains, type ChainProblem, type ReadyEvent } from '../../core/import/meshlog-chains';
import { parseMeshlogLine, PLACEHOLDER_KIND, pyStrip } from '../../core/import/meshlog-line';
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
  /** Genuine lines a Mandala event cannot hold exactly, imported as placeholders (also in problems). */
  readonly placeholders: number;
  /** Every line not imported as it was: its number, a stable code and a sentence. */
  readonly problems: readonly ChainProblem[];
  /** Things to know that are not about one line. */
  readonly warnings: readonly string[];
  readonly feeds: readonly ImportedFeed[];
}

export interface MeshlogImportOptions {
  readonly store: Pick<FeedLog, 'head' | 'readRange'> & Pick<FeedAppender, 'ingest'> & AttestationIndex;
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
}

interface AttestedHead {
  readonly author: AuthorId;
  readonly name: string;
  readonly seq: number;
  readonly head: string;
  readonly meshlogHead?: string;
}

type Source = Readonly<Record<string, string | number>>;

const BATCH_EVENTS = 5000;
/** Feeds named per import.attest event: about 12 KB at most, under the event size limit. */
const ATTEST_FEEDS_PER_EVENT = 50;

export class MeshlogImporter {
  private readonly chains = new MeshlogChains();
  private readonly problems: ChainProblem[] = [];
  private readonly cursors = new Map<string, FeedCursor>();
  private batch: ReadyEvent[] = [];
  private imported = 0;
  private alreadyHeld = 0;
  private placeholders = 0;
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
    // Keep a byte order mark, as Python does: such a line is reported, not silently repaired.
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
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
    const feeds: ImportedFeed[] = [];
    for (const h of this.chains.heads()) {
      const author = importedAuthorId(h.name, this.opts.crypto);
      const held = this.opts.store.head(author)?.seq ?? 0;
      if (held > 0) feeds.push({ name: h.name, author, seq: Math.min(held, h.seq), meshlogHead: h.lastId });
    }
    if (this.imported > 0) {
      const heads = feeds.map((f) => ({ ...f, head: this.opts.store.readRange(f.author, f.seq, f.seq)[0]!.id }));
      this.attest(source, heads, { lines: this.lines, imported: this.imported, problems: problems.length });
    }
    return {
      file: { name: String(source['file']), bytes: size, sha256: String(source['sha256']) },
      lines: this.lines,
      imported: this.imported,
      alreadyHeld: this.alreadyHeld,
      duplicateLines: this.chains.duplicates,
      placeholders: this.placeholders,
      problems,
      warnings: orderWarnings(feeds.map((f) => f.name), this.opts.crypto),
      feeds,
    };
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

  /** One \n-terminated piece of the file; like Python's text mode, a lone \r also ends a line. */
  private line(bytes: Uint8Array, decoder: TextDecoder, source: Source): void {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      this.lines++;
      this.problems.push({ line: this.lines, code: 'not_utf8', message: 'the line is not valid UTF-8' });
      return;
    }
    const pieces = text.split('\r');
    if (pieces.length > 1 && pieces[pieces.length - 1] === '') pieces.pop(); // \r\n
    for (const piece of pieces) {
      this.lines++;
      const stripped = pyStrip(piece);
      if (stripped.length === 0) continue;
      const r = parseMeshlogLine(stripped, this.opts.crypto);
      if (!r.ok) {
        this.problems.push({ line: this.lines, code: r.code, message: r.message });
        continue;
      }
      for (const ready of this.chains.offer(r.event, this.lines)) this.batch.push(ready);
    }
    if (this.batch.length >= (this.opts.batchEvents ?? BATCH_EVENTS)) this.flush(source);
  }

  /** A Mandala event for a ready line: the event itself, or a placeholder that keeps the chain. */
  private seal(e: ReadyEvent, cur: FeedCursor): FeedEvent {
    const { crypto } = this.opts;
    const base = { author: cur.author, seq: e.seq, prev: cur.prev, hlc: e.hlc };
    let why = e.unrepresentable;
    if (!why) {
      try {
        return sealEvent({ ...base, kind: e.kind, payload: e.payload }, crypto);
      } catch (err) {
        if (!(err instanceof EventFormatError)) throw err;
        why = { code: err.code, message: err.message };
      }
    }
    this.problems.push({ line: e.line, code: why.code, message: `${why.message}; kept as a placeholder so the rest of ${e.name}'s feed imports` });
    this.placeholders++;
    return sealEvent({ ...base, kind: PLACEHOLDER_KIND, payload: { code: why.code, message: why.message.slice(0, 300), kind: e.kind.slice(0, 200), meshlog_id: e.id } }, crypto);
  }

  /** Writes the ready events: attest their heads, then ingest them as runs this node signs. */
  private flush(source: Source): void {
    if (this.batch.length === 0) return;
    const { store, crypto, identity } = this.opts;
    const batch = this.batch;
    this.batch = [];
    const byFeed = new Map<string, { name: string; events: FeedEvent[] }>();
    const lineOf = new Map<string, number>();
    for (const e of batch) {
      let cur = this.cursors.get(e.name);
      if (!cur) this.cursors.set(e.name, (cur = { author: importedAuthorId(e.name, crypto), prev: null }));
      const ev = this.seal(e, cur);
      cur.prev = ev.id;
      let feed = byFeed.get(cur.author);
      if (!feed) byFeed.set(cur.author, (feed = { name: e.name, events: [] }));
      feed.events.push(ev);
      lineOf.set(`${cur.author}:${e.seq}`, e.line);
    }
    // Vouch for each feed up to its new head, on record in this node's signed feed, unless this
    // node already did (importing the same file again).
    const heads: AttestedHead[] = [];
    for (const [author, { name, events }] of byFeed) {
      const head = events[events.length - 1]!;
      const mine = store.attestationsOf(author).filter((a) => a.attester === identity.author);
      if (!mine.some((a) => a.seq >= head.seq)) heads.push({ author, name, seq: head.seq, head: head.id });
    }
    this.attest(source, heads, null);

    const runs: IncomingRun[] = [];
    const every = this.opts.signEvery ?? 64;
    for (const [author, { events }] of byFeed) {
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

  /** import.attest events, a bounded number of feeds each (an event has a size limit). */
  private attest(source: Source, feeds: readonly AttestedHead[], complete: Record<string, number> | null): void {
    for (let i = 0; i < Math.max(feeds.length, complete ? 1 : 0); i += ATTEST_FEEDS_PER_EVENT) {
      const chunk = feeds.slice(i, i + ATTEST_FEEDS_PER_EVENT);
      const payload = {
        source,
        feeds: chunk.map((f) => ({ author: f.author, name: f.name.slice(0, 200), seq: f.seq, head: f.head, meshlog_head: f.meshlogHead })),
        complete: complete ?? undefined,
      };
      const [r] = this.opts.append([{ kind: KINDS.importAttest, payload }]);
      if (!r?.ok) throw new MandalaError('import_attest_refused', `this node could not record the import attestation: ${r?.ok === false ? r.message : 'no result'}`);
    }
  }
}
