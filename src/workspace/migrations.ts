// The catalog's schema, as an ordered list of migrations. The database's `PRAGMA user_version`
// is the number of migrations applied. Never edit a migration that has shipped: append a new
// one (e.g. `ALTER TABLE runs ADD COLUMN ...`) to the end of the list.
//
// Times are integer milliseconds since the epoch. JSON columns hold text. Booleans are 0/1.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const INITIAL_SCHEMA = `
CREATE TABLE datasets (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  -- importing: files are still arriving (invisible to lists); ready; failed
  state            TEXT NOT NULL DEFAULT 'importing' CHECK (state IN ('importing', 'ready', 'failed')),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  image_count      INTEGER NOT NULL DEFAULT 0,
  validation_count INTEGER NOT NULL DEFAULT 0,
  bytes            INTEGER NOT NULL DEFAULT 0,
  mosaic           TEXT,
  stats            TEXT,
  -- the import request (paths, options) as JSON, so an interrupted import can be explained
  source           TEXT,
  -- the process that is importing; recovery rolls back imports whose process is gone
  import_pid       INTEGER,
  import_host      TEXT,
  skipped          INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE images (
  id            TEXT PRIMARY KEY,
  dataset_id    TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  hash          TEXT NOT NULL,
  split         TEXT NOT NULL DEFAULT 'train' CHECK (split IN ('train', 'validation')),
  width         INTEGER NOT NULL,
  height        INTEGER NOT NULL,
  -- format of the stored file: png | jpeg | webp (others are normalised to png on import)
  format        TEXT NOT NULL,
  -- format of the original file
  source_format TEXT NOT NULL,
  -- gray | graya | rgb | rgba
  channels      TEXT NOT NULL,
  bytes         INTEGER NOT NULL,
  -- workspace-relative paths
  path          TEXT NOT NULL,
  thumb         TEXT NOT NULL,
  original_name TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  UNIQUE (dataset_id, hash)
);
CREATE INDEX images_hash ON images(hash);
CREATE INDEX images_dataset_split ON images(dataset_id, split, hash);

-- Per-file outcome journal of an import: written in the same transaction as the image row, so
-- after a crash the catalog says exactly which files were registered.
CREATE TABLE import_items (
  dataset_id   TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  source       TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('accepted', 'duplicate', 'rejected', 'skipped')),
  hash         TEXT,
  duplicate_of TEXT,
  code         TEXT,
  message      TEXT,
  PRIMARY KEY (dataset_id, seq)
);

CREATE TABLE runs (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  notes        TEXT NOT NULL DEFAULT '',
  task         TEXT NOT NULL,
  model        TEXT NOT NULL,
  state        TEXT NOT NULL,
  spec         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  step         INTEGER NOT NULL DEFAULT 0,
  total_steps  INTEGER NOT NULL DEFAULT 0,
  last_metrics TEXT NOT NULL DEFAULT '{}',
  backend      TEXT,
  job_id       TEXT,
  trashed      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_created ON runs(trashed, created_at);

CREATE TABLE gallery (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  task        TEXT NOT NULL,
  run_id      TEXT,
  model       TEXT,
  path        TEXT NOT NULL,
  thumb       TEXT,
  before_path TEXT,
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  step        INTEGER,
  seed        INTEGER,
  deleted     INTEGER NOT NULL DEFAULT 0
);
-- the gallery filters by run, task or kind, newest first, over ~100k rows
CREATE INDEX gallery_created ON gallery(deleted, created_at DESC);
CREATE INDEX gallery_run ON gallery(run_id, deleted, created_at DESC);
CREATE INDEX gallery_task ON gallery(task, deleted, created_at DESC);
CREATE INDEX gallery_kind ON gallery(kind, deleted, created_at DESC);

CREATE TABLE jobs (
  id         TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  title      TEXT NOT NULL,
  state      TEXT NOT NULL,
  payload    TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  ended_at   INTEGER,
  progress   TEXT,
  run_id     TEXT,
  errors     INTEGER NOT NULL DEFAULT 0,
  error      TEXT,
  position   INTEGER,
  result     TEXT
);
CREATE INDEX jobs_state ON jobs(state, position, created_at);

CREATE TABLE batch_items (
  job_id  TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  seq     INTEGER NOT NULL,
  input   TEXT NOT NULL,
  output  TEXT,
  status  TEXT NOT NULL CHECK (status IN ('ok', 'skipped', 'failed')),
  code    TEXT,
  message TEXT,
  PRIMARY KEY (job_id, seq)
);
`;

// Cross-process job control: a process that does not own a job (a CLI next to the app or the
// server) records what it wants here; the owning job manager polls for pending rows on the jobs
// it owns, applies them as if its own UI had asked, and writes the outcome back.
const JOB_REQUESTS = `
CREATE TABLE job_requests (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id       TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  action       TEXT NOT NULL CHECK (action IN ('pause', 'resume', 'cancel', 'reorder')),
  -- reorder only: the wanted queue position (0 = next)
  position     INTEGER,
  -- who asked: JSON {pid, hostname}
  requested_by TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  -- set by the owner when applied (or by the requester when it gives up waiting)
  handled_at   INTEGER,
  -- JSON: {ok: true} or {code, message}
  outcome      TEXT
);
-- the owner's poll reads only pending rows
CREATE INDEX job_requests_pending ON job_requests(handled_at, job_id);
`;

// A batch item's own processing time (ms), kept with the item so the report of a running batch
// (which the CLI's upscale and stylize print item by item) has it too, not only the final one.
const BATCH_ITEM_MS = `ALTER TABLE batch_items ADD COLUMN ms REAL;`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: INITIAL_SCHEMA },
  { version: 2, name: 'job control requests', sql: JOB_REQUESTS },
  { version: 3, name: 'batch item times', sql: BATCH_ITEM_MS },
];
