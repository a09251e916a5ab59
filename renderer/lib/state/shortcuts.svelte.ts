import { untrack } from 'svelte';

// Keyboard shortcuts for the main actions. Views register theirs while mounted; the ? overlay
// lists whatever is registered right now, so it never drifts from what actually works.
export interface Shortcut {
  /** display form and matcher: 'g d' (sequence), 'Mod+Enter', 'Shift+T', '?', 'Space' */
  keys: string;
  /** words for the overlay: a function, so they follow the current language */
  description: string | (() => string);
  group: string | (() => string);
  run: (e: KeyboardEvent) => void;
  /** also fire while typing in a field (for Mod+ combos) */
  inInputs?: boolean;
}

/** A shortcut's description or group in the current language. */
export function shortcutText(text: string | (() => string)): string {
  return typeof text === 'function' ? text() : text;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform ?? '');

export function displayKeys(keys: string): string {
  return keys.replace(/Mod/g, isMac ? '⌘' : 'Ctrl');
}

function keyName(e: KeyboardEvent): string {
  if (e.key === ' ') return 'Space';
  return e.key.length === 1 ? e.key.toUpperCase() : e.key;
}

function matchesCombo(combo: string, e: KeyboardEvent): boolean {
  const parts = combo.split('+');
  const key = parts.pop()!;
  const want = new Set(parts);
  const mod = isMac ? e.metaKey : e.ctrlKey;
  if (want.has('Mod') !== mod) return false;
  if (want.has('Alt') !== e.altKey) return false;
  // '?' and other shifted symbols are typed with Shift: only check Shift for letters/named keys.
  const symbol = key.length === 1 && !/[A-Za-z0-9]/.test(key);
  if (!symbol && want.has('Shift') !== e.shiftKey) return false;
  return keyName(e) === key.toUpperCase() || e.key === key;
}

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export class ShortcutsStore {
  // raw: entries keep their identity, so a view's cleanup removes exactly what it added
  registered = $state.raw<Shortcut[]>([]);
  overlayOpen = $state(false);
  #pending: string | null = null;
  #pendingTimer: ReturnType<typeof setTimeout> | undefined;

  /** Registers shortcuts; returns the function that removes them (use as an $effect cleanup). */
  add(...items: Shortcut[]): () => void {
    // Called from $effect: untracked, or the effect would depend on the list it changes.
    untrack(() => (this.registered = [...this.registered, ...items]));
    return () => {
      untrack(() => {
        this.registered = this.registered.filter((s) => !items.includes(s));
      });
    };
  }

  handle = (e: KeyboardEvent): void => {
    if (e.defaultPrevented) return;
    const typing = typingIn(e.target);
    if (this.#pending) {
      const seq = `${this.#pending} ${e.key.toLowerCase()}`;
      this.#pending = null;
      const hit = this.registered.find((s) => s.keys === seq);
      if (hit && !typing) {
        e.preventDefault();
        hit.run(e);
        return;
      }
    }
    for (const s of [...this.registered].reverse()) {
      if (s.keys.includes(' ') && !s.keys.startsWith('Space')) {
        const [first] = s.keys.split(' ');
        if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && e.key.toLowerCase() === first) {
          this.#pending = first;
          clearTimeout(this.#pendingTimer);
          this.#pendingTimer = setTimeout(() => (this.#pending = null), 1200);
          return;
        }
        continue;
      }
      if (typing && !s.inInputs) continue;
      if (matchesCombo(s.keys, e)) {
        e.preventDefault();
        s.run(e);
        return;
      }
    }
  };
}

export const shortcuts = new ShortcutsStore();
