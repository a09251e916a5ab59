import { z } from 'zod';
import { CheckpointName, Empty, RunRefText, Task, UserPath, method } from './common.js';

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
  /** imported models: what the weights are stored as */
  format?: ModelFormat;
  /** imported weights files: what was detected, e.g. "RRDBNet, 23 blocks, 64 features, ×4" */
  architecture?: string;
  /** imported models: the file or folder name it was imported from */
  sourceFile?: string;
}

/** How an imported model's weights are stored: a TF.js folder, or one community file. */
export const MODEL_FORMATS = ['tfjs', 'safetensors', 'onnx'] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

export const ModelSidecar = z.object({
  task: Task,
  // ×1: the denoising / restoration RRDBNets of the Real-ESRGAN family
  scale: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(8)]).optional(),
  inputRange: z.tuple([z.number(), z.number()]).default([0, 1]),
  name: z.string().max(120).optional(),
  licence: z.string().max(200).optional(),
  // written by `models export` of a trained run (all optional: hand-written sidecars stay valid)
  /** the output's value range when it differs from the input's */
  outputRange: z.tuple([z.number(), z.number()]).optional(),
  /** the training image size (generate: the output size) */
  size: z.number().int().min(1).max(4096).optional(),
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
  /** generate: z has this many N(0, 1) entries */
  latentSize: z.number().int().min(1).max(4096).optional(),
  /** cyclegan: the subfolder that holds each direction's generator */
  directions: z.object({ a2b: z.string().regex(/^[A-Za-z0-9._-]+$/), b2a: z.string().regex(/^[A-Za-z0-9._-]+$/) }).strict().optional(),
  /** imported from one file (.safetensors, .onnx): its format, its name in the model folder, the original name */
  format: z.enum(MODEL_FORMATS).optional(),
  file: z.string().regex(/^[A-Za-z0-9._-]+$/).max(200).optional(),
  sourceFile: z.string().max(400).optional(),
  /** what detection found: a type, its sizes, and the line shown to people */
  architecture: z.object({
    type: z.string().max(64),
    summary: z.string().max(200),
    params: z.record(z.string(), z.number()),
  }).strict().optional(),
  /** where an exported model came from */
  source: z.object({
    runId: z.string().max(200),
    family: z.string().max(64),
    checkpoint: z.string().max(100),
    step: z.number().int().min(0),
    spec: z.record(z.string(), z.unknown()),
    exportedAt: z.number(),
  }).optional(),
}).strict();
export type ModelSidecar = z.infer<typeof ModelSidecar>;

/** The graph file of an ONNX model folder (an export, or an imported .onnx file); CycleGAN: one per direction's subfolder. */
export const ONNX_MODEL_FILE = 'model.onnx';

export const ExportFormat = z.enum(['tfjs', 'onnx']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const modelsMethods = {
  'models:list': method<ModelInfo[]>()(Empty),
  /**
   * A TF.js model folder (with its sidecar, or `sidecar`), or one weights file chosen by its
   * extension: `.safetensors` (ESRGAN-family, architecture detected), `.onnx`. `name` and
   * `licence` label a file import (a folder's sidecar carries its own).
   */
  'models:import': method<ModelInfo>()(
    z.object({ path: UserPath, sidecar: ModelSidecar.optional(), name: z.string().min(1).max(120).optional(), licence: z.string().max(200).optional() }).strict(),
  ),
  /** the user-editable fields of an imported model's card; an empty licence clears it */
  'models:update': method<ModelInfo>()(
    z.object({ id: z.string().regex(/^[A-Za-z0-9._-]+$/).max(200), name: z.string().min(1).max(120).optional(), licence: z.string().max(200).optional() }).strict(),
  ),
  /**
   * `zip`: also pack the folder as `<path>.zip` (browser mode downloads that). `format`: 'tfjs'
   * (default: TF.js layers models) or 'onnx' (a trained run's networks as model.onnx, NCHW float32
   * images in [0, 1]; README "Using an exported model elsewhere")
   */
  'models:export': method<{ path: string; zip?: string }>()(z.object({
    id: RunRefText, out: UserPath.optional(), checkpoint: CheckpointName.optional(), zip: z.boolean().optional(), format: ExportFormat.optional(),
  }).strict()),
};

export const generateMethods = {
  'generate:images': method<{ items: string[] }>()(
    z.object({
      runId: RunRefText,
      checkpoint: CheckpointName.optional(),
      count: z.number().int().min(1).max(1024).default(16),
      seed: z.number().int().min(0).default(0),
      grid: z.boolean().default(false),
    }).strict(),
  ),
  'generate:interpolate': method<{ items: string[]; gif: string | null }>()(
    z.object({
      runId: RunRefText,
      checkpoint: CheckpointName.optional(),
      from: z.number().int().min(0),
      to: z.number().int().min(0),
      frames: z.number().int().min(2).max(240).default(16),
      gif: z.boolean().default(true),
    }).strict(),
  ),
};
