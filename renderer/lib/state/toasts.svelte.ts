// Errors and confirmations as toasts. An error toast shows its code and the fix, so the person
// knows what happened and what to do next without opening a log.
import type { ErrorCode } from '../../../src/contract/index.js';
import { toApiError } from '../api.js';
import { explain } from '../error-hints.js';
import { readableMessage } from '../format.js';
import { t } from '../i18n.svelte.js';

export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'error' | 'warning';
  title: string;
  message?: string;
  code?: ErrorCode;
  fix?: string;
  action?: { label: string; run: () => void };
}

let nextId = 1;

export class ToastStore {
  items = $state<Toast[]>([]);

  push(toast: Omit<Toast, 'id'>, ms = toast.tone === 'error' ? 12_000 : 5_000): number {
    const id = nextId++;
    this.items.push({ ...toast, id });
    if (this.items.length > 5) this.items.splice(0, this.items.length - 5);
    if (ms > 0) setTimeout(() => this.dismiss(id), ms);
    return id;
  }

  dismiss(id: number): void {
    const at = this.items.findIndex((t) => t.id === id);
    if (at >= 0) this.items.splice(at, 1);
  }

  success(title: string, message?: string, action?: Toast['action']): number {
    return this.push({ tone: 'success', title, message, action });
  }

  info(title: string, message?: string): number {
    return this.push({ tone: 'info', title, message });
  }

  /** Shows any thrown value as an error toast with its code and the fix. */
  error(error: unknown, title = t('common.somethingWrong')): number {
    const e = toApiError(error);
    const { what, fix } = explain(e.code, readableMessage(e.message));
    return this.push({ tone: 'error', title, message: what, code: e.code, fix });
  }
}

export const toasts = new ToastStore();

/** Runs an action and turns a failure into a toast; returns undefined when it failed. */
export async function attempt<T>(title: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    toasts.error(error, title);
    return undefined;
  }
}
