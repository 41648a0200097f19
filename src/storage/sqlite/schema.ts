// The kine log table: one row per write; the row id is the revision. A row points at the
// row it replaced (prev_revision) and keeps that row's value (old_value), so watch events
// can carry the previous object even after compaction removed the older row.
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS kine (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  lease INTEGER NOT NULL DEFAULT 0,
  value BLOB,
  old_value BLOB
);
CREATE INDEX IF NOT EXISTS kine_name_id_index ON kine (name, id);
CREATE UNIQUE INDEX IF NOT EXISTS kine_name_prev_revision_uindex ON kine (name, prev_revision);
CREATE INDEX IF NOT EXISTS kine_prev_revision_index ON kine (prev_revision);
CREATE TABLE IF NOT EXISTS kine_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS kine_current (name TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
`;

/** kine_current (the live row id of each key) is derived; rebuilt when missing. */
export const REBUILD_CURRENT = `
DELETE FROM kine_current;
INSERT INTO kine_current (name, id)
  SELECT kv.name, kv.id FROM kine AS kv
  WHERE kv.deleted = 0 AND kv.id = (SELECT MAX(k2.id) FROM kine AS k2 WHERE k2.name = kv.name);
INSERT INTO kine_meta (name, value) VALUES ('current_table', 1) ON CONFLICT (name) DO UPDATE SET value = 1;
`;

export const SQL = {
  latest: 'SELECT * FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1',
  // At the latest revision: through kine_current, a plain index range.
  rangeLatest: `SELECT kv.* FROM kine_current AS c JOIN kine AS kv ON kv.id = c.id
    WHERE c.name >= ? AND c.name < ? ORDER BY c.name LIMIT ?`,
  countLatest: 'SELECT COUNT(*) AS n FROM kine_current WHERE name >= ? AND name < ?',
  // At an older revision R: the live count now, corrected by the keys written after R
  // (usually few), instead of a scan of the whole range.
  changedSince: `SELECT t.name AS name,
      (SELECT k.deleted FROM kine AS k WHERE k.name = t.name AND k.id <= ? ORDER BY k.id DESC LIMIT 1) AS thenDeleted,
      EXISTS (SELECT 1 FROM kine_current AS c WHERE c.name = t.name) AS liveNow
    FROM (SELECT DISTINCT name FROM kine WHERE id > ? AND name >= ? AND name < ?) AS t`,
  setCurrent: 'INSERT INTO kine_current (name, id) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET id = excluded.id',
  dropCurrent: 'DELETE FROM kine_current WHERE name = ?',
  currentBuilt: "SELECT value FROM kine_meta WHERE name = 'current_table'",
  // The newest row of each key at or below a revision, streamed in key order through
  // the (name, id) index so LIMIT stops early.
  range: `SELECT * FROM kine AS kv
    WHERE kv.name >= ? AND kv.name < ? AND kv.deleted = 0
      AND kv.id = (SELECT MAX(k2.id) FROM kine AS k2 WHERE k2.name = kv.name AND k2.id <= ?)
    ORDER BY kv.name LIMIT ?`,
  count: `SELECT COUNT(*) AS n FROM kine AS kv
    WHERE kv.name >= ? AND kv.name < ? AND kv.deleted = 0
      AND kv.id = (SELECT MAX(k2.id) FROM kine AS k2 WHERE k2.name = kv.name AND k2.id <= ?)`,
  insert: `INSERT INTO kine (name, created, deleted, create_revision, prev_revision, lease, value, old_value)
    VALUES (?, ?, ?, ?, ?, 0, ?, ?)`,
  revision: "SELECT seq FROM sqlite_sequence WHERE name = 'kine'",
  log: 'SELECT * FROM kine WHERE id > ? AND id <= ? ORDER BY id LIMIT ?',
  logOpen: 'SELECT * FROM kine WHERE id > ? ORDER BY id LIMIT ?',
  compactRevision: "SELECT value FROM kine_meta WHERE name = 'compact_rev'",
  setCompactRevision: "INSERT INTO kine_meta (name, value) VALUES ('compact_rev', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
  // Rows replaced by a row at or below the compaction revision, then deletion markers.
  compactReplaced: 'DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE prev_revision != 0 AND id > ? AND id <= ?)',
  compactDeleted: 'DELETE FROM kine WHERE deleted = 1 AND id > ? AND id <= ?',
} as const;

export interface Row {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  lease: number;
  value: string | Buffer | null;
  old_value: string | Buffer | null;
}
