// Every SQL statement the feed store runs, prepared once per connection.
import type Database from 'better-sqlite3';

export function prepareStatements(db: Database.Database) {
  return {
    authorByKey: db.prepare(`SELECT author_id FROM authors WHERE key = ?`),
    insertAuthor: db.prepare(`INSERT INTO authors (key) VALUES (?)`),
    headOf: db.prepare(`SELECT head_seq, head_id FROM authors WHERE author_id = ?`),
    setHead: db.prepare(`UPDATE authors SET head_seq = ?, head_id = ? WHERE author_id = ? AND head_seq < ?`),
    quarantinedOf: db.prepare(`SELECT quarantined FROM authors WHERE author_id = ?`),
    quarantine: db.prepare(`UPDATE authors SET quarantined = 1 WHERE author_id = ?`),
    frontier: db.prepare(`SELECT key, head_seq, head_id FROM authors WHERE head_seq > 0`),
    localHead: db.prepare(
      `SELECT a.head_seq AS seq, a.head_id AS id, e.hlc_wall AS wall, e.hlc_counter AS counter
         FROM authors a JOIN events e ON e.author_id = a.author_id AND e.seq = a.head_seq
        WHERE a.author_id = ?`,
    ),
    eventIdAt: db.prepare(`SELECT id, sig FROM events WHERE author_id = ? AND seq = ?`),
    bytesRange: db.prepare(`SELECT bytes FROM events WHERE author_id = ? AND seq BETWEEN ? AND ? ORDER BY seq`),
    readRange: db.prepare(`SELECT id, bytes, sig FROM events WHERE author_id = ? AND seq BETWEEN ? AND ? ORDER BY seq`),
    signedAtOrAbove: db.prepare(`SELECT seq, sig FROM events WHERE author_id = ? AND seq >= ? AND sig IS NOT NULL ORDER BY seq LIMIT 1`),
    signedSeqs: db.prepare(`SELECT seq FROM events WHERE author_id = ? AND seq BETWEEN ? AND ? AND sig IS NOT NULL ORDER BY seq`),
    insertEvent: db.prepare(
      `INSERT INTO events (author_id, seq, id, hlc_wall, hlc_counter, kind, bytes, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    setSig: db.prepare(`UPDATE events SET sig = ? WHERE author_id = ? AND seq = ? AND sig IS NULL`),
    readSince: db.prepare(`SELECT pos, id, bytes, sig FROM events WHERE pos > ? ORDER BY pos LIMIT ?`),
    eventCount: db.prepare(`SELECT count(*) AS n FROM events`),
    maxHlc: db.prepare(`SELECT hlc_wall AS wall, hlc_counter AS counter FROM events ORDER BY hlc_wall DESC, hlc_counter DESC LIMIT 1`),
    pendingAt: db.prepare(`SELECT id, bytes, sig, authenticated FROM pending WHERE author_id = ? AND seq = ?`),
    pendingCountOf: db.prepare(`SELECT count(*) AS n FROM pending WHERE author_id = ?`),
    pendingTotal: db.prepare(`SELECT count(*) AS n FROM pending`),
    insertPending: db.prepare(
      `INSERT OR IGNORE INTO pending (author_id, seq, id, bytes, sig, authenticated) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    deletePending: db.prepare(`DELETE FROM pending WHERE author_id = ? AND seq = ? AND id = ?`),
    insertFork: db.prepare(`INSERT INTO forks (author_id, seq, detected_at_ms, evidence) VALUES (?, ?, ?, ?)`),
    forks: db.prepare(`SELECT f.detected_at_ms, f.evidence FROM forks f ORDER BY f.fork_id`),
    quarantined: db.prepare(`SELECT key FROM authors WHERE quarantined = 1 ORDER BY key`),
    insertDenial: db.prepare(`INSERT INTO denials (at_ms, gate, code, message, kind) VALUES (?, ?, ?, ?, ?)`),
    denials: db.prepare(`SELECT at_ms, gate, code, message, kind FROM denials ORDER BY denial_id DESC LIMIT ?`),
    readKinds: (kinds: readonly string[]) =>
      db.prepare(`SELECT pos, id, bytes, sig FROM events WHERE kind IN (${kinds.map(() => '?').join(',')}) AND pos > ? ORDER BY pos LIMIT ?`),
    insertCheckpoint: db.prepare(
      `INSERT INTO checkpoints (created_at_ms, cursor, event_count, frontier, frontier_digest, hlc_wall, hlc_counter, versions, state, state_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    pruneCheckpoints: db.prepare(
      `DELETE FROM checkpoints WHERE versions = ? AND checkpoint_id NOT IN (SELECT checkpoint_id FROM checkpoints WHERE versions = ? ORDER BY checkpoint_id DESC LIMIT ?)`,
    ),
    // Checkpoints of another state format (snapshotFormatOf) than the one given: no build reads them again.
    pruneOtherFormats: db.prepare(`DELETE FROM checkpoints WHERE versions LIKE 'snapshot:%' AND substr(versions, 1, length(?)) != ?`),
    latestCheckpoint: db.prepare(`SELECT * FROM checkpoints WHERE versions = ? ORDER BY checkpoint_id DESC LIMIT 1`),
    nextCheckpointStage: db.prepare(
      `SELECT max(coalesce((SELECT max(stage) FROM checkpoint_parts), 0), coalesce((SELECT max(stage) FROM checkpoints), 0)) + 1 AS stage`,
    ),
    insertCheckpointPart: db.prepare(`INSERT INTO checkpoint_parts (stage, ix, bytes) VALUES (?, ?, ?)`),
    checkpointParts: db.prepare(`SELECT bytes FROM checkpoint_parts WHERE stage = ? ORDER BY ix`),
    countCheckpointParts: db.prepare(`SELECT count(*) AS n, max(ix) AS top FROM checkpoint_parts WHERE stage = ?`),
    insertStagedCheckpoint: db.prepare(
      `INSERT INTO checkpoints (created_at_ms, cursor, event_count, frontier, frontier_digest, hlc_wall, hlc_counter, versions, state, state_hash, stage, parts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, X'', ?, ?, ?)`,
    ),
    newestCommittedStage: db.prepare(`SELECT coalesce(max(stage), 0) AS stage FROM checkpoints`),
    dropLooseCheckpointParts: db.prepare(`DELETE FROM checkpoint_parts WHERE stage <= ? AND stage NOT IN (SELECT stage FROM checkpoints WHERE stage IS NOT NULL)`),
    insertCache: db.prepare(`INSERT INTO projection_cache (projection, version, created_at_ms, position, entry) VALUES (?, ?, ?, ?, ?)`),
    lastPosition: db.prepare(`SELECT coalesce(max(pos), 0) AS pos FROM events`),
    pruneCache: db.prepare(
      `DELETE FROM projection_cache WHERE projection = ? AND version = ? AND cache_id NOT IN
         (SELECT cache_id FROM projection_cache WHERE projection = ? AND version = ? ORDER BY cache_id DESC LIMIT ?)`,
    ),
    latestCache: db.prepare(`SELECT created_at_ms, position, entry FROM projection_cache WHERE projection = ? AND version = ? ORDER BY cache_id DESC LIMIT 1`),
    insertAttestation: db.prepare(`INSERT OR IGNORE INTO feed_attestations (author_id, attester, seq, head) VALUES (?, ?, ?, ?)`),
    attestationsOf: db.prepare(`SELECT attester, seq, head FROM feed_attestations WHERE author_id = ? ORDER BY attester, seq`),
    authorsAll: db.prepare(`SELECT author_id, key, head_seq FROM authors ORDER BY key`),
    chainOf: db.prepare(`SELECT seq, id, bytes, sig FROM events WHERE author_id = ? ORDER BY seq`),
    repairEvent: db.prepare(`UPDATE events SET id = ?, bytes = ? WHERE author_id = ? AND seq = ?`),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
