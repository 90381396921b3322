// The heads this node has signed of its own feeds, kept outside the database (own-heads.json in
// the data folder, written atomically and fsynced after every local append). A database that
// lost events (a deleted WAL, an emptied or restored file) would otherwise let the node sign the
// same seqs again: a fork of its own feed, and the mesh would quarantine it. So a node refuses to
// append while its feed in the database is behind what it once signed (`own_feed_behind`), and
// catches up from its peers first, as SSB and Hypercore advise. Never reuse a seq.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuthorId } from '../../core/events/event';
import type { FeedHead } from '../../core/feed/frontier';
import { MandalaError } from '../errors';

export const OWN_HEADS_FILE = 'own-heads.json';

/** What the writer needs: a check before each append, a record after it. */
export interface OwnHeads {
  /** Throws `own_feed_behind` (or `own_feed_unknown`) when this feed must be recovered first. */
  assertCaughtUp(author: AuthorId, held: FeedHead | null): void;
  /** Records a head this node now holds of its own feed; never lowers what is recorded. */
  record(author: AuthorId, head: FeedHead): void;
  /** Why this feed may not be written to yet, or null. */
  behind(author: AuthorId, held: FeedHead | null): { code: string; message: string } | null;
}

interface FileShape {
  readonly format: 1;
  /** Set when the node's history is unknown (a database created for an existing identity). */
  readonly unknown?: boolean;
  readonly heads: Record<string, { seq: number; id: string }>;
}

function recoverHint(dir: string): string {
  return `recover it from a peer that holds it: \`mandala recover --peer HOST:PORT --data ${dir}\` (or serve with --peer, which recovers by itself)`;
}

/** Writes a file so that after a crash it holds either the old or the new content, durably. */
function writeDurably(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  if (process.platform === 'win32') return;
  const dirFd = openSync(dirname(path), 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

export class OwnHeadFile implements OwnHeads {
  private state: FileShape;

  private constructor(
    private readonly dir: string,
    state: FileShape,
  ) {
    this.state = state;
  }

  get path(): string {
    return join(this.dir, OWN_HEADS_FILE);
  }

  /** A new node: it has signed nothing yet. */
  static create(dir: string): OwnHeadFile {
    const file = new OwnHeadFile(dir, { format: 1, heads: {} });
    file.save();
    return file;
  }

  /**
   * Opens the record. A folder from before this record existed gets one from its database, when
   * the database came with it; a fresh database for an old identity marks the history unknown.
   */
  static open(dir: string, fallback: { readonly freshDatabase: boolean; readonly heads: () => Record<string, FeedHead> }): OwnHeadFile {
    const path = join(dir, OWN_HEADS_FILE);
    if (!existsSync(path)) {
      const heads = Object.fromEntries(Object.entries(fallback.heads()).map(([a, h]) => [a, { seq: h.seq, id: h.id }]));
      const file = new OwnHeadFile(dir, fallback.freshDatabase ? { format: 1, unknown: true, heads } : { format: 1, heads });
      file.save();
      return file;
    }
    let parsed: FileShape;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new MandalaError('data_unreadable', `cannot read ${path} (${(e as NodeJS.ErrnoException).code}); check that you own the data folder ${dir}`);
    }
    try {
      parsed = JSON.parse(text) as FileShape;
      if (parsed.format !== 1 || typeof parsed.heads !== 'object' || parsed.heads === null) throw new Error('not a head record');
    } catch (e) {
      throw new MandalaError('own_heads_corrupt', `${path} is damaged (${(e as Error).message}); restore it from a backup, or delete it and run \`mandala recover --peer HOST:PORT\` so no seq is signed twice`);
    }
    return new OwnHeadFile(dir, parsed);
  }

  /** How many events of its own feeds the record says this node signed (0 when there is no record). */
  static signedOnRecord(dir: string): number {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, OWN_HEADS_FILE), 'utf8')) as FileShape;
      return Object.values(parsed.heads ?? {}).reduce((sum, h) => sum + (Number(h.seq) || 0), 0);
    } catch {
      return 0;
    }
  }

  /** The highest seq of this feed the node ever signed, as recorded. */
  signed(author: AuthorId): number {
    return this.state.heads[author]?.seq ?? 0;
  }

  get unknown(): boolean {
    return this.state.unknown === true;
  }

  /** Why this feed may not be written to yet, or null. */
  behind(author: AuthorId, held: FeedHead | null): { code: string; message: string } | null {
    if (this.unknown) {
      return {
        code: 'own_feed_unknown',
        message: `this node's event database is new but its identity is not, so it may have signed events it no longer holds; ${recoverHint(this.dir)}`,
      };
    }
    const signed = this.signed(author);
    const have = held?.seq ?? 0;
    if (have >= signed) return null;
    return {
      code: 'own_feed_behind',
      message: `this node signed events up to seq ${signed} of its feed ${author.slice(0, 8)}, but its database holds only ${have}; writing now would sign those seqs twice. ${recoverHint(this.dir)}`,
    };
  }

  assertCaughtUp(author: AuthorId, held: FeedHead | null): void {
    const why = this.behind(author, held);
    if (why) throw new MandalaError(why.code, why.message);
  }

  record(author: AuthorId, head: FeedHead): void {
    // Another process on this folder (a CLI verb beside `serve`) may have recorded since: merge.
    this.reload();
    if (head.seq <= this.signed(author)) return;
    this.state = { ...this.state, heads: { ...this.state.heads, [author]: { seq: head.seq, id: head.id } } };
    this.save();
  }

  private reload(): void {
    try {
      const onDisk = JSON.parse(readFileSync(this.path, 'utf8')) as FileShape;
      const heads = { ...this.state.heads };
      for (const [a, h] of Object.entries(onDisk.heads ?? {})) if (h.seq > (heads[a]?.seq ?? 0)) heads[a] = h;
      this.state = { ...this.state, unknown: this.state.unknown && onDisk.unknown, heads };
    } catch {
      // Unreadable now: keep what this process knows; save() rewrites it whole.
    }
  }

  /** After a recovery: whatever the database holds now is the history (for an unknown one). */
  settle(heads: Record<string, FeedHead>, opts: { readonly acceptLoss?: boolean } = {}): void {
    this.reload();
    // Accepting a loss: the record comes down to what is held (the operator said no peer has more).
    const merged: Record<string, { seq: number; id: string }> = opts.acceptLoss ? {} : { ...this.state.heads };
    for (const [a, h] of Object.entries(heads)) if (h.seq >= (merged[a]?.seq ?? 0)) merged[a] = { seq: h.seq, id: h.id };
    this.state = { format: 1, heads: merged };
    this.save();
  }

  private save(): void {
    try {
      writeDurably(this.path, JSON.stringify(this.state, null, 2) + '\n');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new MandalaError(
        code === 'ENOSPC' ? 'disk_full' : 'data_unwritable',
        code === 'ENOSPC' ? `the disk holding ${this.dir} is full; free space and retry` : `cannot write ${this.path} (${code}); check that you own the data folder ${this.dir} and may write to it`,
      );
    }
  }
}
