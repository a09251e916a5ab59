// User preferences that live in the UI (default presets per task). Stored locally: they only
// pre-fill forms, the CLI has its own flags.
import type { Task } from '../../../src/contract/index.js';
import { safeGet, safeSet } from './theme.svelte.js';

type Preset = 'tiny' | 'small' | 'default';
const KEY = 'gan-studio.settings';

interface Saved {
  presets: Record<Task, Preset>;
  batchFormat: 'png' | 'jpg' | 'webp';
}

const DEFAULTS: Saved = { presets: { generate: 'small', superres: 'small', cyclegan: 'small' }, batchFormat: 'png' };

export class SettingsStore {
  presets = $state<Record<Task, Preset>>({ ...DEFAULTS.presets });
  batchFormat = $state<Saved['batchFormat']>(DEFAULTS.batchFormat);

  constructor() {
    const raw = safeGet(KEY);
    if (!raw) return;
    try {
      const saved = JSON.parse(raw) as Partial<Saved>;
      if (saved.presets) this.presets = { ...DEFAULTS.presets, ...saved.presets };
      if (saved.batchFormat) this.batchFormat = saved.batchFormat;
    } catch {
      // an unreadable value is replaced on the next save
    }
  }

  save(): void {
    safeSet(KEY, JSON.stringify({ presets: this.presets, batchFormat: this.batchFormat }));
  }
}

export const settings = new SettingsStore();
