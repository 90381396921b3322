// Versioned migrations for the SQLite feed store. PRAGMA user_version is the schema version; the
// meta table's `app` row marks the file as Mandala's, so a foreign database is refused rather
// than written into.
import type Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { MandalaError } from '../../errors';
import { decodeCanonical, type Value } from '../../../core/encoding/canonical';
import { encodeInboxDrafts } from './sqlite-inbox';

export const APP_MARKER = 'mandala';

/** Each entry migrates from version (index) to version (index + 1). Append only; never edit. */
const MIGRATIONS: readonly (string | ((db: Database.Database) => void))[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  CREATE TABLE authors (
    author_id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    head_seq INTEGER NOT NULL DEFAULT 0,
    head_id BLOB,
    quarantined INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE TABLE events (
    pos INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors(author_id),
    seq INTEGER NOT NULL,
    id BLOB NOT NULL,
    hlc_wall INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    kind TEXT NOT NULL,
    bytes BLOB NOT NULL,
    sig BLOB,
    UNIQUE (author_id, seq)
  ) STRICT;
  CREATE TABLE pending (
    author_id INTEGER NOT NULL REFERENCES authors(author_id),
    seq INTEGER NOT NULL,
    id BLOB NOT NULL,
    bytes BLOB NOT NULL,
    sig BLOB,
    authenticated INTEGER NOT NULL,
    PRIMARY KEY (author_id, seq, id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE forks (
    fork_id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors(author_id),
    seq INTEGER NOT NULL,
    detected_at_ms INTEGER NOT NULL,
    evidence BLOB NOT NULL
  ) STRICT;
  CREATE TABLE denials (
    denial_id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    gate TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    kind TEXT NOT NULL
  ) STRICT;
  `,
  // 2: read by kind (the CLI folds only what it needs); projection checkpoints; heads of
  // imported (unsigned) feeds that a signed node attested.
  `
  CREATE INDEX events_by_kind ON events (kind, pos);
  CREATE TABLE checkpoints (
    checkpoint_id INTEGER PRIMARY KEY,
    created_at_ms INTEGER NOT NULL,
    cursor INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    frontier BLOB NOT NULL,
    frontier_digest BLOB NOT NULL,
    hlc_wall INTEGER NOT NULL,
    hlc_counter INTEGER NOT NULL,
    versions TEXT NOT NULL,
    state BLOB NOT NULL,
    state_hash BLOB NOT NULL
  ) STRICT;
  CREATE TABLE attested_heads (
    author_id INTEGER NOT NULL REFERENCES authors(author_id),
    seq INTEGER NOT NULL,
    id BLOB NOT NULL,
    attester TEXT NOT NULL,
    PRIMARY KEY (author_id, seq, id)
  ) STRICT, WITHOUT ROWID;
  `,
  // 3: the projection cache (outputs of earlier runs, for reports that allow staleness); imported
  // feeds are authenticated by the nodes that attested them, each up to the head it attested.
  `
  DROP TABLE attested_heads;
  CREATE TABLE projection_cache (
    cache_id INTEGER PRIMARY KEY,
    projection TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    entry BLOB NOT NULL
  ) STRICT;
  CREATE INDEX projection_cache_by_projection ON projection_cache (projection, version, cache_id);
  CREATE TABLE feed_attestations (
    author_id INTEGER NOT NULL REFERENCES authors(author_id),
    attester BLOB NOT NULL,
    seq INTEGER NOT NULL,
    head BLOB NOT NULL,
    PRIMARY KEY (author_id, attester, seq)
  ) STRICT, WITHOUT ROWID;
  `,
  // 4: each cached output remembers the store position it was folded to, so a report served from
  // the cache can tell fresh from stale without folding anything.
  `
  ALTER TABLE projection_cache ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
  `,
  // 5: the intake inbox (node/store/sqlite/sqlite-inbox.ts): positions acknowledged to a vendor or
  // a phone, waiting to be signed into this node's feed, and the delivery keys already admitted.
  `
  CREATE TABLE intake_inbox (
    row     INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL,
    payload BLOB NOT NULL
  ) STRICT;
  CREATE TABLE intake_seen (
    key      TEXT PRIMARY KEY,
    first_ms INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX intake_seen_age ON intake_seen (first_ms);
  `,
  // 6: a checkpoint's state may be written in parts (checkpoint_parts, keyed by stage), each part
  // its own short transaction, so a large state never holds the write lock for long.
  `
  CREATE TABLE checkpoint_parts (
    stage INTEGER NOT NULL,
    ix INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (stage, ix)
  ) STRICT;
  ALTER TABLE checkpoints ADD COLUMN stage INTEGER;
  ALTER TABLE checkpoints ADD COLUMN parts INTEGER NOT NULL DEFAULT 0;
  `,
  // 7: the inbox keeps a delivery as one row (sqlite-inbox.ts); what was waiting moves over, in order.
  (db) => {
    db.exec(`
    CREATE TABLE intake_deliveries (
      row    INTEGER PRIMARY KEY,
      n      INTEGER NOT NULL,
      done   INTEGER NOT NULL DEFAULT 0,
      drafts BLOB NOT NULL
    ) STRICT;
    `);
    const insert = db.prepare(`INSERT INTO intake_deliveries (n, drafts) VALUES (1, ?)`);
    for (const r of db.prepare(`SELECT kind, payload FROM intake_inbox ORDER BY row`).all() as { kind: string; payload: Buffer }[]) {
      insert.run(encodeInboxDrafts([{ kind: r.kind, payload: decodeCanonical(r.payload) as Value }]));
    }
    db.exec(`DROP TABLE intake_inbox`);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/**
 * Refuses a database that is not Mandala's, or is newer than this build, without writing to it
 * (not even its journal mode). Returns the schema version found (0 for a new, empty file).
 */
export function assertOurs(db: Database.Database, path: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  const tableCount = (db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as { n: number }).n;
  if (version === 0 && tableCount > 0) {
    throw new MandalaError(
      'store_foreign',
      `${path} is a SQLite database that Mandala did not create; it was left untouched. Point --data at a Mandala data folder or an empty one.`,
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new MandalaError(
      'store_too_new',
      `${path} was written by a newer Mandala (schema ${version}, this build knows ${SCHEMA_VERSION}); upgrade Mandala to open it.`,
    );
  }
  if (version > 0) {
    const marker = hasTable(db, 'meta') ? (db.prepare(`SELECT value FROM meta WHERE key = 'app'`).get() as { value: string } | undefined) : undefined;
    if (marker?.value !== APP_MARKER) {
      throw new MandalaError('store_foreign', `${path} is not a Mandala database (no app marker); it was left untouched.`);
    }
  }
  return version;
}

/** Brings a database that assertOurs accepted (at `version`) to the current schema. */
export function migrate(db: Database.Database, version: number): void {
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      const step = MIGRATIONS[v]!;
      if (typeof step === 'string') db.exec(step);
      else step(db);
      if (v === 0) db.prepare(`INSERT INTO meta (key, value) VALUES ('app', ?)`).run(APP_MARKER);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

const SQLITE_HEADER = 'SQLite format 3\0';

/** Refuses a file that is not SQLite at all (a wrong header), without touching it. */
export function assertSqliteFile(path: string): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    if (n > 0 && (n < 16 || buf.toString('latin1') !== SQLITE_HEADER)) {
      throw new MandalaError(
        'store_corrupt',
        `${path} is not a SQLite database (its header is wrong): it is corrupt or belongs to another program. Mandala left it untouched; restore it from a backup or move it aside and re-sync from a peer.`,
      );
    }
  } finally {
    closeSync(fd);
  }
}
