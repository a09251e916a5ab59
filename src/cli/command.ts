// The shape of one CLI subcommand. Each lives in its own file under commands/ and is a thin
// client of the contract's handlers (see src/handlers/), never a second implementation.
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** true when stdout is a terminal (progress bars) */
  tty: boolean;
}

export interface CommandContext {
  values: Values;
  positionals: string[];
  /** --workspace, or GAN_STUDIO_HOME, or ~/.gan-studio (resolved by the workspace module) */
  workspace: string | undefined;
  json: boolean;
  io: CliIo;
  signal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  /** e.g. 'gan-studio import PATH... [--name NAME] [--json]' */
  usage: string;
  options: OptionSpec;
  /**
   * Old spellings that still work: `{ run: 'model' }` reads `--run X` as `--model X` and prints a
   * one-line deprecation notice on stderr (docs/CLI.md lists the vocabulary).
   */
  renamed?: Record<string, string>;
  /** positional arguments required at least */
  minPositionals?: number;
  /** returns the exit code */
  run(ctx: CommandContext): Promise<number>;
}

/**
 * One row of the command table (commands/index.ts): what `gan-studio --help` lists, and how to
 * import the command's module when it runs, so the list itself costs no import.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

/** Exit codes: 0 ok, 1 the work failed, 2 usage error, 130 interrupted. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export class UsageError extends Error {}

export function stringOpt(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function intOpt(values: Values, name: string): number | undefined {
  const v = stringOpt(values, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`--${name} expects a whole number, got "${v}"`);
  return Number(v);
}

export function floatOpt(values: Values, name: string): number | undefined {
  const v = stringOpt(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} expects a number, got "${v}"`);
  return n;
}

export function choiceOpt<T extends string>(values: Values, name: string, choices: readonly T[]): T | undefined {
  const v = stringOpt(values, name);
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${choices.join('|')}, got "${v}"`);
  return v as T;
}
