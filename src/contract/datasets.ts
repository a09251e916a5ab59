import { z } from 'zod';
import type { ErrorCode } from './errors.js';
import { Empty, Id, Page, UserPath, method, type Paged } from './common.js';

export const SAMPLE_DATASETS = ['mnist', 'emoji-google', 'emoji-twitter'] as const;
export type SampleDataset = (typeof SAMPLE_DATASETS)[number];

export interface DatasetSummary {
  id: string;
  name: string;
  createdAt: number;
  /** every stored image, the held-out validation split included */
  imageCount: number;
  /** how many of imageCount are held out for metrics */
  validationCount: number;
  bytes: number;
  /** workspace-relative path of a mosaic PNG, when made */
  mosaic: string | null;
  stats: DatasetStats | null;
}

export interface DatasetStats {
  widths: number[];
  heights: number[];
  /** [label, count] pairs, e.g. ['64×64', 3786] */
  sizeHistogram: Array<[string, number]>;
  aspectHistogram: Array<[string, number]>;
  channels: Record<string, number>;
  formats: Record<string, number>;
}

export interface DatasetImage {
  id: string;
  /** workspace-relative */
  path: string;
  thumb: string;
  width: number;
  height: number;
  format: string;
  split: 'train' | 'validation';
  originalName: string;
}

export interface RejectedFile {
  file: string;
  code: ErrorCode;
  message: string;
}

export interface ImportReport {
  datasetId: string;
  accepted: number;
  duplicates: Array<{ file: string; duplicateOf: string }>;
  rejected: RejectedFile[];
  skipped: number;
}

export const ImportInput = z.object({
  paths: z.array(UserPath).min(1).max(10_000),
  name: z.string().min(1).max(120).optional(),
  /** import the valid part of an archive that also holds refused entries */
  acceptPartial: z.boolean().default(false),
  /** refuse images with more pixels than this (default: the data module's cap) */
  maxPixels: z.number().int().min(1).max(1_000_000_000).optional(),
}).strict();

export const datasetsMethods = {
  'datasets:list': method<DatasetSummary[]>()(Empty),
  'datasets:get': method<DatasetSummary>()(z.object({ id: Id }).strict()),
  'datasets:images': method<Paged<DatasetImage>>()(
    Page.extend({ id: Id }).strict(),
  ),
  /** starts an import job; its `done` event carries the ImportReport as `result` */
  'datasets:import': method<{ jobId: string }>()(ImportInput),
  'datasets:importSample': method<{ jobId: string }>()(
    z.object({ sample: z.enum(SAMPLE_DATASETS), limit: z.number().int().min(1).max(100_000).optional() }).strict(),
  ),
  'datasets:report': method<ImportReport>()(z.object({ id: Id }).strict()),
  'datasets:rename': method<DatasetSummary>()(
    z.object({ id: Id, name: z.string().min(1).max(120) }).strict(),
  ),
  'datasets:delete': method<{ ok: true }>()(z.object({ id: Id }).strict()),
};
