// Hash routes (#/datasets/abc) work the same under app://studio and http:// and survive reloads.
export type ViewName = 'datasets' | 'train' | 'runs' | 'gallery' | 'batch' | 'models' | 'system';

export interface Route {
  view: ViewName;
  /** the item the view shows (dataset id, run id, gallery item id), if any */
  id: string | null;
  query: URLSearchParams;
}

const VIEWS: ViewName[] = ['datasets', 'train', 'runs', 'gallery', 'batch', 'models', 'system'];

export function parseHash(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [first, second] = path.split('/');
  const view = (VIEWS as string[]).includes(first) ? (first as ViewName) : 'datasets';
  return { view, id: second ? decodeURIComponent(second) : null, query: new URLSearchParams(search) };
}

export function href(view: ViewName, id?: string | null, query?: Record<string, string>): string {
  const q = query ? `?${new URLSearchParams(query).toString()}` : '';
  return `#/${view}${id ? `/${encodeURIComponent(id)}` : ''}${q}`;
}

export class Router {
  route = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window === 'undefined') return;
    window.addEventListener('hashchange', () => (this.route = parseHash(location.hash)));
  }

  go(view: ViewName, id?: string | null, query?: Record<string, string>): void {
    location.hash = href(view, id, query);
  }
}

export const router = new Router();
