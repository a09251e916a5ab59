// Stable error codes: every failure crosses every boundary (IPC, HTTP, WebSocket, CLI) as
// `{ code, message }`. Codes are part of the public API: add new ones, never rename.

export const ERROR_CODES = [
  // arguments and access
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PATH_NOT_ALLOWED',
  'UNAUTHORIZED',
  'PAYLOAD_TOO_LARGE',
  // image validation
  'EMPTY_FILE',
  'UNSUPPORTED_FORMAT',
  'CORRUPT_IMAGE',
  'IMAGE_TOO_LARGE',
  'UNREADABLE_FILE',
  'SYMLINK_NOT_FOLLOWED',
  'DUPLICATE_IMAGE',
  // archives
  'ZIP_UNSAFE_PATH',
  'ZIP_SYMLINK',
  'ZIP_TOO_MANY_ENTRIES',
  'ZIP_TOO_LARGE',
  'ZIP_RATIO_TOO_HIGH',
  'ZIP_CORRUPT',
  // resources
  'DISK_FULL',
  'OUT_OF_MEMORY',
  'BACKEND_UNAVAILABLE',
  // runs, checkpoints, models
  'CONFIG_MISMATCH',
  'CHECKPOINT_CORRUPT',
  'CHECKPOINT_WRITE_FAILED',
  'RUN_LOCKED',
  'MODEL_INVALID',
  // jobs
  'JOB_STATE',
  'CANCELLED',
  'ENGINE_CRASHED',
  // the batch queue on Redis (gan-studio worker, batch --queue)
  'QUEUE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
}

/** The one error type the core throws on purpose. `message` names the file and the fix. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
  toWire(): WireError {
    return { code: this.code, message: this.message };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Anything thrown becomes a WireError; unknown errors keep their message under INTERNAL. */
export function toWireError(error: unknown): WireError {
  if (error instanceof AppError) return error.toWire();
  if (error && typeof error === 'object' && 'code' in error && isErrorCode((error as WireError).code)) {
    return { code: (error as WireError).code, message: String((error as WireError).message ?? '') };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/out of memory|OOM|Failed to allocate|Cannot allocate/i.test(message)) {
    return { code: 'OUT_OF_MEMORY', message: 'out of memory — try a smaller batch or tile size' };
  }
  return { code: 'INTERNAL', message };
}

export function fromWireError(wire: WireError): AppError {
  return new AppError(isErrorCode(wire.code) ? wire.code : 'INTERNAL', wire.message);
}
