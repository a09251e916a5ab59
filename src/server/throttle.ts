// Slows down token guessing: wrong logins and wrong Bearer tokens. Each client (by address) gets
// a few free mistakes, then must wait before the next try, twice as long after every further
// mistake; and all clients together get a fixed number of mistakes per window, after which every
// token check waits for the window to pass. A valid session cookie is never throttled, so a
// signed-in browser keeps working while someone hammers the login. 256 random bits are the real
// defence; this keeps an online guesser from even trying at speed, and makes it visible.

export interface ThrottleOptions {
  /** mistakes a client may make before it has to wait before the next try */
  freeFailures: number;
  /** the first wait, doubled for every further mistake */
  baseDelayMs: number;
  maxDelayMs: number;
  /** mistakes from all clients together per window, before all token checks are refused */
  globalFailures: number;
  globalWindowMs: number;
  /** clients remembered at most (the oldest is forgotten first) */
  maxClients: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  globalFailures: 100,
  globalWindowMs: 60_000,
  maxClients: 10_000,
};

export type ThrottleDecision = { ok: true } | { ok: false; retryAfterMs: number; reason: 'client' | 'global' };

interface ClientState {
  failures: number;
  blockedUntil: number;
}

export class LoginThrottle {
  private readonly clients = new Map<string, ClientState>();
  private recent: number[] = [];
  readonly options: ThrottleOptions;

  constructor(options: Partial<ThrottleOptions> = {}, private readonly now: () => number = Date.now) {
    this.options = { ...DEFAULT_THROTTLE, ...options };
  }

  /** May this client try a token now? Asked before the token is even compared. */
  check(client: string): ThrottleDecision {
    const t = this.now();
    const state = this.clients.get(client);
    if (state && state.blockedUntil > t) return { ok: false, retryAfterMs: state.blockedUntil - t, reason: 'client' };
    this.recent = this.recent.filter((at) => at > t - this.options.globalWindowMs);
    if (this.recent.length >= this.options.globalFailures) {
      return { ok: false, retryAfterMs: this.recent[0]! + this.options.globalWindowMs - t, reason: 'global' };
    }
    return { ok: true };
  }

  /** A wrong token: counts against the client and the global budget. */
  failure(client: string): void {
    const t = this.now();
    this.recent.push(t);
    const state = this.clients.get(client) ?? { failures: 0, blockedUntil: 0 };
    state.failures += 1;
    const over = state.failures - this.options.freeFailures;
    if (over >= 0) state.blockedUntil = t + Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(over, 30));
    // re-inserted so the map's order is least-recently-failed first
    this.clients.delete(client);
    this.clients.set(client, state);
    while (this.clients.size > this.options.maxClients) this.clients.delete(this.clients.keys().next().value!);
  }

  /** A right token: the client starts over. */
  success(client: string): void {
    this.clients.delete(client);
  }
}
