// Follows the job event stream for the shell: is any job running (keep the system awake), and
// did a long job just end (say so in a desktop notification)? Pure: main.ts wires the outputs
// to powerSaveBlocker and Notification.
import type { JobEvent } from '../src/contract/events.js';

export interface JobNotice {
  title: string;
  body: string;
}

export interface JobWatchOptions {
  /** a job that ran at least this long gets a notification when it ends */
  longJobMs?: number;
  onRunningChange(anyRunning: boolean): void;
  onNotice(notice: JobNotice): void;
  now?: () => number;
}

export class JobWatch {
  private readonly titles = new Map<string, string>();
  private readonly running = new Map<string, number>();
  private anyRunning = false;
  private readonly longJobMs: number;
  private readonly now: () => number;

  constructor(private readonly options: JobWatchOptions) {
    this.longJobMs = options.longJobMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Feed every event; replayed history is fine (a replayed final event of an unseen start is ignored). */
  handle(event: JobEvent): void {
    switch (event.type) {
      case 'queued':
        this.titles.set(event.jobId, event.title);
        break;
      case 'started':
      case 'resumed':
        if (!this.running.has(event.jobId)) this.running.set(event.jobId, this.now());
        break;
      case 'paused':
        this.running.delete(event.jobId);
        break;
      case 'done':
      case 'failed':
      case 'cancelled':
      case 'interrupted': {
        const since = this.running.get(event.jobId);
        this.running.delete(event.jobId);
        if (since !== undefined && this.now() - since >= this.longJobMs && event.type !== 'cancelled') {
          const title = this.titles.get(event.jobId) ?? 'A job';
          this.options.onNotice(
            event.type === 'done'
              ? { title: 'GAN Studio: finished', body: `${title} is done.` }
              : { title: 'GAN Studio: stopped', body: `${title} ${event.type === 'failed' ? `failed: ${event.message}` : `was interrupted: ${event.reason}`}` },
          );
        }
        this.titles.delete(event.jobId);
        break;
      }
      default:
        break;
    }
    const any = this.running.size > 0;
    if (any !== this.anyRunning) {
      this.anyRunning = any;
      this.options.onRunningChange(any);
    }
  }
}
