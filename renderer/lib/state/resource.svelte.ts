// A value loaded from the API with its loading and error state, reloadable on demand (views
// reload when a related job finishes: `$effect(() => { jobs.finished.import; datasets.load(); })`).
import { toApiError, type ApiError } from '../api.js';

export class Resource<T> {
  value = $state<T | undefined>(undefined);
  error = $state<ApiError | null>(null);
  loading = $state(false);
  #fetcher: () => Promise<T>;
  #generation = 0;

  constructor(fetcher: () => Promise<T>) {
    this.#fetcher = fetcher;
  }

  get loaded(): boolean {
    return this.value !== undefined;
  }

  async load(): Promise<T | undefined> {
    const generation = ++this.#generation;
    this.loading = true;
    try {
      const value = await this.#fetcher();
      // a slower, older request must not overwrite a newer answer
      if (generation === this.#generation) {
        this.value = value;
        this.error = null;
      }
      return value;
    } catch (error) {
      if (generation === this.#generation) this.error = toApiError(error);
      return undefined;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
