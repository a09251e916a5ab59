// The message protocol between the host (CLI, server, Electron main) and the engine process.
// Plain JSON-safe objects only, so the same messages travel over child_process IPC, Electron's
// utilityProcess MessagePort, or an in-process channel (inline engine, tests).
import type { WireError } from '../contract/errors.js';
import type { GalleryKind } from '../contract/gallery.js';
import type { Progress } from '../contract/events.js';

export type AbortKind = 'pause' | 'cancel';

export type HostMessage =
  | { type: 'run'; jobId: string; task: string; input: unknown; workspace: string }
  | { type: 'abort'; jobId: string; reason: AbortKind }
  | { type: 'shutdown' };

/** Something a task produced that the host may record (gallery items). Paths are absolute. */
export interface OutputNote {
  kind: GalleryKind;
  path: string;
  beforePath?: string | null;
  step?: number | null;
  seed?: number | null;
  runId?: string | null;
  model?: string | null;
}

export type ReportMessage =
  | { kind: 'progress'; progress: Omit<Progress, 'eta'> & { eta?: number | null } }
  | { kind: 'metrics'; step: number; values: Record<string, number> }
  | { kind: 'sample'; step: number; path: string }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { kind: 'output'; output: OutputNote };

export interface TaskOutcome {
  /** 'paused' and 'cancelled' mean the task stopped cleanly at a safe point */
  stopped: 'done' | 'paused' | 'cancelled';
  /** failed items of a batch */
  errors?: number;
  result?: Record<string, unknown>;
}

export type EngineMessage =
  | { type: 'ready'; pid: number }
  | { type: 'report'; jobId: string; report: ReportMessage }
  | { type: 'result'; jobId: string; outcome: TaskOutcome }
  | { type: 'error'; jobId: string; error: WireError };

export function isEngineMessage(value: unknown): value is EngineMessage {
  return Boolean(value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string');
}
