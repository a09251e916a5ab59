// The workspace catalog: one SQLite file (libsql, better-sqlite3's synchronous API) shared by the
// app, the CLI and the server — possibly at the same time, hence WAL and a busy timeout.
import Database from 'libsql';
import { mkdirSync } from 'node:fs';
import { AppError } from '../contract/errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { workspaceLayout } from './paths.js';

export type Db = InstanceType<typeof Database>;
declare const _db: Db;
export type Statement = ReturnType<typeof _db.prepare<unknown[]>>;

export interface Catalog {
  readonly db: Db;
  readonly path: string;
  /** runs `fn` in one write transaction (BEGIN IMMEDIATE: takes the write lock up front) */
  transaction<T>(fn: () => T): T;
  /** a prepared statement, cached per SQL text (preparing costs more than running small queries) */
  stmt(sql: string): Statement;
  /** number of migrations applied */
  version(): number;
  close(): void;
}

/** Opens (creating if needed) `<root>/catalog.sqlite` and brings its schema up to date. */
export function openCatalog(root: string, migrations: readonly Migration[] = MIGRATIONS): Catalog {
  mkdirSync(root, { recursive: true });
  const path = workspaceLayout(root).catalog;
  let db: Db;
  try {
    db = new Database(path);
  } catch (error) {
    throw new AppError('INTERNAL', `cannot open the catalog ${path}: ${(error as Error).message} — check the workspace folder is writable`, { cause: error });
  }
  // Another process (CLI next to the app) may hold the write lock for a moment: wait, don't fail.
  db.exec('PRAGMA busy_timeout = 10000');
  db.exec('PRAGMA journal_mode = WAL');
  // WAL + NORMAL is durable across application crashes (only an OS crash can lose the last commit).
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  try {
    migrate(db, migrations, path);
  } catch (error) {
    db.close();
    throw error;
  }

  const transaction = <T>(fn: () => T): T => {
    if (db.inTransaction) return fn();
    return db.transaction(fn).immediate();
  };
  const statements = new Map<string, Statement>();
  const stmt = (sql: string): Statement => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s;
  };
  return {
    db,
    path,
    transaction,
    stmt,
    version: () => userVersion(db),
    close: () => {
      if (db.open) db.close();
    },
  };
}

function userVersion(db: Db): number {
  return Number(scalar(db, 'PRAGMA user_version'));
}

// libsql 0.5.29 quirks (differences from better-sqlite3): `stmt.get()` rows carry an extra
// `_metadata` key, and `pluck().get()` / `pragma(x, { simple: true })` return that row object
// instead of the value. `.all()` is clean, so single rows and scalars go through it.

/** The first row of a query, or undefined. */
export function one<T>(db: Db, sql: string, ...args: unknown[]): T | undefined {
  return db.prepare(sql).all(...args)[0] as T | undefined;
}

/** The first column of the first row, or undefined. */
export function scalar(db: Db, sql: string, ...args: unknown[]): unknown {
  const row = db.prepare(sql).raw(true).all(...args)[0] as unknown[] | undefined;
  return row?.[0];
}

/**
 * Applies pending migrations in order, each in its own IMMEDIATE transaction that re-reads the
 * version under the write lock, so two processes opening a fresh workspace at once cannot both
 * apply the same migration.
 */
export function migrate(db: Db, migrations: readonly Migration[], path = 'catalog'): number {
  for (const [index, m] of migrations.entries()) {
    if (m.version !== index + 1) throw new Error(`migration list out of order at ${m.name}: version ${m.version}, expected ${index + 1}`);
  }
  const latest = migrations.length;
  const current = userVersion(db);
  if (current > latest) {
    throw new AppError('CONFIG_MISMATCH', `the catalog ${path} was written by a newer GAN Studio (schema ${current}, this one knows ${latest}) — update GAN Studio or use another --workspace`);
  }
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      if (userVersion(db) >= m.version) return; // another process got there first
      db.exec(m.sql);
      db.exec(`PRAGMA user_version = ${m.version}`);
    }).immediate();
  }
  return userVersion(db);
}

/** JSON column helpers: the catalog stores objects as text. */
export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
export function fromJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
