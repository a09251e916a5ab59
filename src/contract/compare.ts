// compare:* — two super-resolution or style-transfer models on the same input image. Each side
// runs as an ordinary batch job (same queue, same outputs in the gallery); the comparison only
// remembers which jobs belong together and composes a side-by-side picture once both are done.
import { z } from 'zod';
import { Id, UserPath, method } from './common.js';
import type { JobState } from './events.js';
import type { ErrorCode } from './errors.js';

export const COMPARE_TASKS = ['superres', 'cyclegan'] as const;
export type CompareTask = (typeof COMPARE_TASKS)[number];

export const CompareSide = z.object({
  /** a run id, an imported model id or a pretrained name such as 'esrgan-slim' */
  model: z.string().min(1).max(4096),
  /** style transfer only */
  direction: z.enum(['a2b', 'b2a']).optional(),
  /** super-resolution only: picks the pretrained variant (esrgan-slim ×2/×3/×4) */
  scale: z.union([z.literal(2), z.literal(3), z.literal(4)]).optional(),
}).strict();
export type CompareSide = z.infer<typeof CompareSide>;

export const CompareSpec = z.object({
  task: z.enum(COMPARE_TASKS),
  sides: z.tuple([CompareSide, CompareSide]),
  /** the input image: a picked, dropped or uploaded path... */
  input: UserPath.optional(),
  /** ...or a gallery item (its picture is the input) */
  galleryId: Id.optional(),
  tile: z.number().int().min(16).max(4096).optional(),
}).strict();
export type CompareSpecInput = z.input<typeof CompareSpec>;

export interface CompareSideResult extends CompareSide {
  jobId: string;
  state: JobState;
  /** workspace-relative output, once the job is done */
  output: string | null;
  width: number | null;
  height: number | null;
  bytes: number | null;
  /** the side's own processing time once done (the batch item's time: loading the model
   *  included, queue wait and engine/backend start-up not), so both sides compare fairly;
   *  the job's wall time when the item time is unknown (a report from an older version) */
  seconds: number | null;
  /** the job's wall time once done: for the first job after the engine starts it includes the
   *  backend start-up, and for the second side the wait behind the first */
  wallSeconds: number | null;
  error: { code: ErrorCode; message: string } | null;
  /**
   * super-resolution only, once both sides are done: the output scaled back down to the input's
   * size (bicubic) against the input itself, on luma. It measures faithfulness to the input (a
   * model that shifts colours or invents structure scores lower), not sharpness; null when the
   * input is too small to measure (SSIM needs 11 px).
   */
  psnr?: number | null;
  ssim?: number | null;
}

export interface CompareResult {
  id: string;
  task: CompareTask;
  /** workspace-relative copy of the input */
  input: string;
  inputWidth: number;
  inputHeight: number;
  createdAt: number;
  sides: [CompareSideResult, CompareSideResult];
  /** workspace-relative PNG with both outputs next to each other, once both are done */
  sideBySide: string | null;
}

export const compareMethods = {
  'compare:start': method<CompareResult>()(CompareSpec),
  'compare:get': method<CompareResult>()(z.object({ id: Id }).strict()),
};
