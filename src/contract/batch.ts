import { z } from 'zod';
import { Id, Task, UserPath, method } from './common.js';
import { QueueFiles, RedisUrl } from './queue.js';
import { BackendPref } from './system.js';

export const OUTPUT_FORMATS = ['png', 'jpg', 'webp'] as const;
/** what a batch may write: one of OUTPUT_FORMATS, or 'input': each input's own format when it
 *  is png, jpg or webp, else png (the CLI's upscale and stylize without --format) */
export const BATCH_FORMATS = [...OUTPUT_FORMATS, 'input'] as const;

export const BatchSpec = z.object({
  task: Task,
  /** a run id (trained model), an imported model id, a pretrained id such as 'esrgan-slim', or a model file's path (.safetensors, .onnx) */
  model: z.string().min(1).max(4096),
  /** files, folders (recursive) and zips; empty for generate (use count) */
  inputs: z.array(UserPath).max(10_000).default([]),
  /** output folder; omitted in browser mode: outputs go to <workspace>/exports/<job>/ */
  out: UserPath.optional(),
  scale: z.union([z.literal(2), z.literal(3), z.literal(4)]).optional(),
  direction: z.enum(['a2b', 'b2a']).optional(),
  format: z.enum(BATCH_FORMATS).default('png'),
  quality: z.number().int().min(1).max(100).default(90),
  tile: z.number().int().min(16).max(4096).optional(),
  count: z.number().int().min(1).max(100_000).optional(),
  seed: z.number().int().min(0).optional(),
  failFast: z.boolean().default(false),
  /** also write the report here (FILE.json and FILE.csv) */
  report: UserPath.optional(),
  /** the tfjs backend the engine runs the batch on (default: the engine's choice) */
  backend: BackendPref.optional(),
  /** a trained run's checkpoint: step-NNNNNN, latest or best (default: the newest usable one) */
  checkpoint: z.string().min(1).max(40).optional(),
  /** inputs over this many pixels are refused (IMAGE_TOO_LARGE); default 40 MP */
  maxPixels: z.number().int().min(1).max(1_000_000_000).optional(),
  /** run on `gan-studio worker`s through this Redis instead of the local engine */
  queue: RedisUrl.optional(),
  /** run on the workers of the queue configured in Settings */
  onWorkers: z.boolean().optional(),
  /** how files reach the workers: `shared` when every machine sees the same paths, else through Redis (default) */
  queueFiles: QueueFiles.optional(),
}).strict();
export type BatchSpec = z.infer<typeof BatchSpec>;
export type BatchSpecInput = z.input<typeof BatchSpec>;

export interface BatchItemReport {
  input: string;
  output: string | null;
  status: 'ok' | 'skipped' | 'failed';
  code?: string;
  message?: string;
  /** ok items: this item's own processing time in milliseconds (model loading on first use
   *  included; queue wait and engine/backend start-up not); absent for items finished before a
   *  pause or crash, and for skipped ones */
  ms?: number;
}

export interface BatchReport {
  jobId: string;
  outDir: string;
  total: number;
  ok: number;
  skipped: number;
  failed: number;
  items: BatchItemReport[];
}

export const batchMethods = {
  'batch:start': method<{ jobId: string }>()(z.object({ spec: BatchSpec }).strict()),
  'batch:report': method<BatchReport>()(z.object({ jobId: Id }).strict()),
  /** browser mode: a zip of the job's export folder, as a workspace-relative path to download */
  'batch:exportZip': method<{ path: string }>()(z.object({ jobId: Id }).strict()),
};
