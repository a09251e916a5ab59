// Small formatting helpers the BENCHMARKS.md renderers share: markdown tables, numbers with
// sensible digits, and loose reads of stored suite results (JSON written by older or newer
// versions of a suite, so every field may be missing).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SuiteResult } from './run.js';

/** A stored suite result (written by run.ts), with its data read back as an object. */
export type Stored = Omit<SuiteResult, 'data'> & { data: Record<string, unknown> | null };
export type Row = Record<string, unknown>;

export function load<T>(dir: string, name: string): T | null {
  const file = join(dir, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null;
}

/** A finite number, or a numeric string (wasm-kernels stores its figures as printed text). */
export function num(x: unknown): number | null {
  if (typeof x === 'number') return Number.isFinite(x) ? x : null;
  return typeof x === 'string' && /^-?\d+(\.\d+)?$/.test(x.trim()) ? Number(x) : null;
}

/** Numbers with digits that suit their size: 5268, 12.1, 0.65, 0.005. */
export function fmt(x: unknown, digits?: number): string {
  const n = num(x);
  if (n === null) return x === undefined || x === null ? '—' : String(x);
  if (digits !== undefined) return n.toFixed(digits);
  const a = Math.abs(n);
  if (a >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Number.isInteger(n)) return String(n);
  if (a >= 100) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  if (a >= 1) return n.toFixed(2);
  if (a === 0) return '0';
  return n.toPrecision(2);
}

export const ratio = (x: unknown): string => (num(x) === null ? '—' : `${num(x)!.toFixed(2)}×`);
export const yesNo = (x: unknown): string => (x === true ? 'yes' : x === false ? 'NO' : '—');

export function table(headers: string[], rows: string[][]): string[] {
  const clean = (c: string) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(clean).join(' | ')} |`)];
}

export const rowsOf = (x: unknown): Row[] => (Array.isArray(x) ? x.filter((r): r is Row => r !== null && typeof r === 'object') : []);
export const objOf = (x: unknown): Row => (x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Row) : {});

/** Flattens a result object into `key | value` rows for suites without a dedicated table. */
export function genericRows(data: unknown, prefix = ''): string[] {
  if (data === null || typeof data !== 'object') return [`| ${prefix || 'value'} | ${String(data)} |`];
  const rows: string[] = [];
  for (const [k, v] of Object.entries(data as Row)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) rows.push(...genericRows(v, key));
    else if (Array.isArray(v) && v.some((x) => typeof x === 'object')) v.forEach((x, i) => rows.push(...genericRows(x, `${key}[${i}]`)));
    else rows.push(`| ${key} | ${Array.isArray(v) ? v.join(', ') : fmt(v)} |`);
  }
  return rows;
}
