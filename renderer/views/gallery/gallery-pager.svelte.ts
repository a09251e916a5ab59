// The gallery's infinite scroll over keyset pages: each page's nextCursor fetches the next one,
// so a deep scroll costs the catalog the same as the first page (offsets made it walk every
// skipped row). A filter change restarts from no cursor; an answer from an older filter is dropped.
import type { GalleryItem, GalleryPage } from '../../../src/contract/index.js';

export type FetchPage = (cursor: string | undefined) => Promise<GalleryPage>;

export class GalleryPager {
  items = $state<GalleryItem[]>([]);
  /** what the filter matches in the catalog (shown as "N items") */
  total = $state(0);
  loaded = $state(false);
  #nextCursor = $state<string | null>(null);
  /** what the grid should lay out: once the last page is in, exactly what was loaded (items
   *  added or deleted since the first page would otherwise leave placeholders no page fills) */
  gridTotal = $derived(this.#nextCursor === null ? this.items.length : Math.max(this.total, this.items.length));
  #generation = 0;
  #loadingMore = false;

  readonly #fetchPage: FetchPage;
  readonly #onerror: (error: unknown) => void;

  constructor(fetchPage: FetchPage, onerror: (error: unknown) => void) {
    this.#fetchPage = fetchPage;
    this.#onerror = onerror;
  }

  get done(): boolean {
    return this.loaded && this.#nextCursor === null;
  }

  /** Loads the first page again (filters changed, or new outputs landed). */
  async restart(): Promise<void> {
    const generation = ++this.#generation;
    this.#loadingMore = false;
    // a scroll during the restart must not append the old filter's next page to the new one
    this.#nextCursor = null;
    try {
      const page = await this.#fetchPage(undefined);
      if (generation !== this.#generation) return;
      this.items = page.items;
      this.total = page.total;
      this.#nextCursor = page.nextCursor;
    } catch (error) {
      if (generation === this.#generation) this.#onerror(error);
    } finally {
      if (generation === this.#generation) this.loaded = true;
    }
  }

  /** Appends the next page; a no-op while one is in flight, before the first page, or at the end. */
  async more(): Promise<void> {
    const cursor = this.#nextCursor;
    if (this.#loadingMore || cursor === null || !this.loaded) return;
    const generation = this.#generation;
    this.#loadingMore = true;
    try {
      const page = await this.#fetchPage(cursor);
      if (generation !== this.#generation) return;
      this.items = [...this.items, ...page.items];
      this.total = page.total;
      this.#nextCursor = page.nextCursor;
    } catch (error) {
      if (generation === this.#generation) this.#onerror(error);
    } finally {
      if (generation === this.#generation) this.#loadingMore = false;
    }
  }
}
