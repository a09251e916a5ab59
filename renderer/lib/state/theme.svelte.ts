// Light and dark themes that follow the OS, with a manual override remembered across sessions.
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'gan-studio.theme';

export class ThemeStore {
  choice = $state<ThemeChoice>('system');
  #prefersDark = $state(false);
  resolved = $derived<'light' | 'dark'>(this.choice === 'system' ? (this.#prefersDark ? 'dark' : 'light') : this.choice);

  constructor() {
    if (typeof window === 'undefined') return;
    const saved = safeGet(KEY);
    if (saved === 'light' || saved === 'dark' || saved === 'system') this.choice = saved;
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (media) {
      this.#prefersDark = media.matches;
      media.addEventListener?.('change', (e) => (this.#prefersDark = e.matches));
    }
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    safeSet(KEY, choice);
  }

  toggle(): void {
    this.set(this.resolved === 'dark' ? 'light' : 'dark');
  }

  /** Call inside an $effect root: keeps <html data-theme> in sync. */
  apply(): void {
    document.documentElement.dataset.theme = this.resolved;
  }
}

export function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function safeSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode or a full quota: the setting simply lasts for this session
  }
}

export const theme = new ThemeStore();
