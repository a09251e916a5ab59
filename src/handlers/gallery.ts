// gallery:* — every picture the studio made, filterable and paged (by offset, or by the keyset
// cursor each page returns: as fast 90,000 items deep as on the first page); soft delete with restore.
import { join } from 'node:path';
import type { Handlers } from '../contract/api.js';
import { AppError } from '../contract/errors.js';
import { getGalleryItem, listGallery, setGalleryDeleted } from '../workspace/gallery-repo.js';
import type { AppContext } from './app-context.js';
import { zipFiles } from '../common/zip-files.js';

type GalleryHandlers = Pick<Handlers, 'gallery:list' | 'gallery:get' | 'gallery:delete' | 'gallery:restore' | 'gallery:export'>;

export function galleryHandlers(ctx: AppContext): GalleryHandlers {
  const cat = ctx.ws.catalog;
  const existing = (ids: string[]) => {
    const missing = ids.filter((id) => !getGalleryItem(cat, id));
    if (missing.length) throw new AppError('NOT_FOUND', `no gallery item ${missing.slice(0, 5).join(', ')}`);
  };
  return {
    'gallery:list': (q) => listGallery(cat, q),
    'gallery:get': ({ id }) => {
      const item = getGalleryItem(cat, id);
      if (!item) throw new AppError('NOT_FOUND', `no gallery item ${id}`);
      return item;
    },
    'gallery:delete': ({ ids }) => (existing(ids), setGalleryDeleted(cat, ids, true), { ok: true as const }),
    'gallery:restore': ({ ids }) => (existing(ids), setGalleryDeleted(cat, ids, false), { ok: true as const }),
    'gallery:export': async ({ ids }) => {
      existing(ids);
      const items = ids.map((id) => getGalleryItem(cat, id)!);
      const rel = `exports/gallery-${Date.now()}.zip`;
      const seen = new Set<string>();
      await zipFiles(join(ctx.ws.root, rel), items.map((i) => {
        let name = i.path.split('/').slice(-2).join('-');
        if (seen.has(name)) name = `${i.id}-${name}`;
        seen.add(name);
        return { path: join(ctx.ws.root, i.path), name };
      }));
      return { path: rel };
    },
  };
}
