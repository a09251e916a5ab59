// Reading JSON files we wrote ourselves (state.json, sidecars, plans, reports, settings) or that a
// user handed us. A bare JSON.parse error ("Expected double-quoted property name in JSON at
// position 12") says neither which file nor what to do; these helpers say both.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { AppError, type ErrorCode } from '../contract/errors.js';

export interface JsonFileOptions {
  /** what the file is, for the message: "model sidecar", "checkpoint state" */
  what: string;
  /** how to get past it: "restore it from a backup, or import the model again" */
  fix: string;
  /** the error code a parse failure becomes (default UNREADABLE_FILE) */
  code?: ErrorCode;
}

/** Parses `text` read from `path`; a syntax error becomes an AppError naming the file and the fix. */
export function parseJsonText<T = unknown>(text: string, path: string, options: JsonFileOptions): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(options.code ?? 'UNREADABLE_FILE', `${options.what} ${path} is not valid JSON (${reason}); ${options.fix}`, { cause: error });
  }
}

/** Reads and parses a JSON file. Read errors (a missing file: ENOENT) pass through unchanged. */
export async function readJsonFile<T = unknown>(path: string, options: JsonFileOptions): Promise<T> {
  return parseJsonText<T>(await readFile(path, 'utf8'), path, options);
}

export function readJsonFileSync<T = unknown>(path: string, options: JsonFileOptions): T {
  return parseJsonText<T>(readFileSync(path, 'utf8'), path, options);
}
