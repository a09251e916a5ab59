import { z } from 'zod';

/** Workspace items are referred to by id, never by path. */
export const Id = z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/, 'ids use letters, digits, . _ -');
/**
 * A checkpoint of a run: its folder name (`step-000500`), or the `latest` / `best` pointer.
 * Never a path: it is looked up inside the run's checkpoints folder.
 */
export const CHECKPOINT_NAME = /^(step-\d{6,12}|latest|best)$/;
export const CheckpointName = z.string().max(20).regex(CHECKPOINT_NAME, 'a checkpoint is step-NNNNNN (its folder name), latest or best');
export const Empty = z.object({}).strict().default({});
export const Page = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5000).default(200),
});
/**
 * How a caller names a trained run: its id, its name when no other run has it, or its folder
 * (src/workspace/run-ref.ts resolves all three, for every transport alike).
 */
export const RUN_REF_HELP = 'a run id, its name (when no other run has it) or its folder';
export const RunRefText = z.string().min(1).max(4096).refine((p) => !/[\u0000-\u001f\u007f]/.test(p), 'a run reference may not contain control characters');
/** A path the user picked or dropped (or that `serve --allow` opened); checked by the handler. */
export const UserPath = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'paths may not contain NUL');

export const TASKS = ['generate', 'superres', 'cyclegan'] as const;
export const Task = z.enum(TASKS);
export type Task = z.infer<typeof Task>;

export interface Paged<T> {
  items: T[];
  total: number;
}

/**
 * Declares one API method: its input schema (validated by every transport before the handler
 * runs) and, as a phantom type, its output.
 */
export function method<O>() {
  return <I extends z.ZodType>(input: I) => ({ input, output: undefined as unknown as O });
}
