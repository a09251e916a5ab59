import { z } from 'zod';
import { Empty, Id, Task, UserPath, method } from './common.js';

export interface ModelInfo {
  /** a run id for trained models, or a pretrained id such as 'esrgan-slim-x2' */
  id: string;
  name: string;
  source: 'trained' | 'pretrained' | 'imported';
  task: z.infer<typeof Task>;
  family: string;
  scale?: number;
  size?: number;
  bytes: number;
  createdAt: number | null;
  licence?: string;
  metrics?: Record<string, number>;
}

export const ModelSidecar = z.object({
  task: Task,
  scale: z.union([z.literal(2), z.literal(3), z.literal(4), z.literal(8)]).optional(),
  inputRange: z.tuple([z.number(), z.number()]).default([0, 1]),
  name: z.string().max(120).optional(),
  licence: z.string().max(200).optional(),
}).strict();
export type ModelSidecar = z.infer<typeof ModelSidecar>;

export const modelsMethods = {
  'models:list': method<ModelInfo[]>()(Empty),
  'models:import': method<ModelInfo>()(
    z.object({ path: UserPath, sidecar: ModelSidecar.optional() }).strict(),
  ),
  'models:export': method<{ path: string }>()(z.object({ id: Id, out: UserPath.optional() }).strict()),
};

export const generateMethods = {
  'generate:images': method<{ items: string[] }>()(
    z.object({
      runId: Id,
      checkpoint: z.string().max(100).optional(),
      count: z.number().int().min(1).max(1024).default(16),
      seed: z.number().int().min(0).default(0),
      grid: z.boolean().default(false),
    }).strict(),
  ),
  'generate:interpolate': method<{ items: string[]; gif: string | null }>()(
    z.object({
      runId: Id,
      checkpoint: z.string().max(100).optional(),
      from: z.number().int().min(0),
      to: z.number().int().min(0),
      frames: z.number().int().min(2).max(240).default(16),
      gif: z.boolean().default(true),
    }).strict(),
  ),
};
