import { z } from 'zod';
import { Id, Task, method, type Paged } from './common.js';

export const GALLERY_KINDS = ['sample', 'generation', 'interpolation', 'upscale', 'translation'] as const;
export type GalleryKind = (typeof GALLERY_KINDS)[number];

export interface GalleryItem {
  id: string;
  kind: GalleryKind;
  task: z.infer<typeof Task>;
  runId: string | null;
  model: string | null;
  /** workspace-relative paths */
  path: string;
  thumb: string | null;
  /** the input for before/after views (upscale, translation) */
  beforePath: string | null;
  width: number;
  height: number;
  createdAt: number;
  step: number | null;
  seed: number | null;
  deleted: boolean;
}

export const GalleryFilter = z.object({
  runId: Id.optional(),
  task: Task.optional(),
  kind: z.enum(GALLERY_KINDS).optional(),
  since: z.number().int().optional(),
  until: z.number().int().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5000).default(200),
  /** the previous page's nextCursor: keyset paging, as fast at item 90,000 as at item 0 */
  cursor: z.string().min(1).max(400).regex(/^[A-Za-z0-9_-]+$/, 'a cursor is the nextCursor of a previous page').optional(),
}).strict();

/** A page of the gallery; nextCursor (null on the last page) fetches the next one. */
export interface GalleryPage extends Paged<GalleryItem> {
  nextCursor: string | null;
}

const ItemRef = z.object({ id: Id }).strict();

export const galleryMethods = {
  'gallery:list': method<GalleryPage>()(GalleryFilter),
  'gallery:get': method<GalleryItem>()(ItemRef),
  /** soft delete: undone by gallery:restore */
  'gallery:delete': method<{ ok: true }>()(z.object({ ids: z.array(Id).min(1).max(10_000) }).strict()),
  'gallery:restore': method<{ ok: true }>()(z.object({ ids: z.array(Id).min(1).max(10_000) }).strict()),
  'gallery:export': method<{ path: string }>()(z.object({ ids: z.array(Id).min(1).max(10_000) }).strict()),
};
