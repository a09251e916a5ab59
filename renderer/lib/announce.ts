// What a screen reader hears about running jobs, and when. Progress is spoken at most once per
// interval (a training run emits several events a second: reading each one would drown every
// other announcement); a change of state (paused, done, failed) is spoken at once.
export interface AnnouncedJob {
  id: string;
  state: string;
  /** 0–1, or null when unknown */
  fraction: number | null;
}

export class ProgressAnnouncer {
  #lastAt = -Infinity;
  #lastText = '';
  #states = new Map<string, string>();

  constructor(readonly intervalMs = 20_000) {}

  /**
   * Returns the text to announce now, or null to stay quiet. `describe` words one job (progress
   * while it runs, its new state otherwise) in the current language.
   */
  next(jobs: AnnouncedJob[], now: number, describe: (job: AnnouncedJob) => string): string | null {
    const changed = jobs.filter((j) => this.#states.has(j.id) && this.#states.get(j.id) !== j.state);
    for (const j of jobs) this.#states.set(j.id, j.state);
    let text: string | null = null;
    if (changed.length > 0) text = changed.map(describe).join(' ');
    else if (now - this.#lastAt >= this.intervalMs) {
      const running = jobs.filter((j) => j.state === 'running' && j.fraction !== null);
      if (running.length > 0) text = running.slice(0, 2).map(describe).join(' ');
    }
    if (text === null || text === this.#lastText) return null;
    this.#lastAt = now;
    this.#lastText = text;
    return text;
  }
}
