// The checks every request and WebSocket upgrade passes before it reaches the API:
// Host (DNS rebinding), Origin (cross-site requests and WebSocket hijacking) and the session
// (a 256-bit token typed once on /login, then an HttpOnly SameSite=Strict cookie).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** true for 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return LOOPBACK_NAMES.has(h) || h.endsWith('.localhost') || (isIP(h) === 4 && h.startsWith('127.')) || h === '::ffff:127.0.0.1';
}

export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** The hostname part of a Host header (`example:7860`, `[::1]:7860`), lower-cased, or null. */
export function hostnameOf(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null;
  const h = hostHeader.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(h);
  if (!m) return null;
  return m[1]!.replace(/^\[|\]$/g, '');
}

/**
 * The names a browser may legitimately put in `Host`: localhost, the bound address, and — when
 * bound to every interface — this machine's own addresses and host name. A rebinding attack
 * arrives with the attacker's domain in Host and is refused.
 */
export function allowedHostnames(boundHost: string): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  names.add(boundHost.replace(/^\[|\]$/g, '').toLowerCase());
  if (isWildcardHost(boundHost)) {
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) names.add(a.address.toLowerCase());
    }
    const name = hostname().toLowerCase();
    names.add(name);
    names.add(`${name}.local`);
  }
  return names;
}

export function isAllowedHost(hostHeader: string | undefined, allowed: Set<string>): boolean {
  const name = hostnameOf(hostHeader);
  return name !== null && allowed.has(name);
}

/**
 * An Origin is accepted only when it names this very server as the browser reached it
 * (same scheme-less host:port as the Host header). Requests without Origin come from non-browser
 * clients (curl, the CLI), which cannot be tricked into sending our cookie.
 */
export function isSameOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!hostHeader || origin === 'null') return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host.toLowerCase() === hostHeader.trim().toLowerCase();
  } catch {
    return false;
  }
}

/** 256 random bits, URL-safe (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time: both sides are hashed to the same length first, so length leaks nothing either. */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export const SESSION_COOKIE = 'gan_studio_session';

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !(name in out)) out[name] = value;
  }
  return out;
}

export interface SessionOptions {
  /** a session unused this long ends (each use renews it) */
  idleMs: number;
  /** and every session ends this long after sign-in, used or not */
  maxAgeMs: number;
  /** the cookie only travels over https (behind a TLS proxy) */
  secure?: boolean;
}

export const DEFAULT_SESSIONS: SessionOptions = { idleMs: 24 * 3600_000, maxAgeMs: 3 * 24 * 3600_000 };

/**
 * Sessions live in memory only: restarting the server logs everyone out, which is intended. A
 * session ends after `idleMs` unused or `maxAgeMs` after sign-in, whichever comes first, or when
 * its browser logs out (revoke). Using it renews the idle deadline and, now and then, the cookie.
 */
export class SessionStore {
  private readonly sessions = new Map<string, { created: number; lastUsed: number; renewed: number }>();
  readonly options: SessionOptions;

  constructor(options: Partial<SessionOptions> = {}, private readonly now: () => number = Date.now) {
    this.options = { ...DEFAULT_SESSIONS, ...options };
  }

  create(): string {
    const id = randomBytes(32).toString('base64url');
    const t = this.now();
    this.sessions.set(id, { created: t, lastUsed: t, renewed: t });
    return id;
  }

  private expiresAt(s: { created: number; lastUsed: number }): number {
    return Math.min(s.lastUsed + this.options.idleMs, s.created + this.options.maxAgeMs);
  }

  valid(id: string | undefined): boolean {
    if (!id) return false;
    const s = this.sessions.get(id);
    if (!s) return false;
    if (this.expiresAt(s) <= this.now()) {
      this.sessions.delete(id);
      return false;
    }
    return true;
  }

  /** Marks a valid session used; true when its cookie should be sent again (renewed). */
  touch(id: string): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    const t = this.now();
    s.lastUsed = t;
    if (t - s.renewed < this.options.idleMs / 8) return false;
    s.renewed = t;
    return true;
  }

  revoke(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  cookie(id: string): string {
    const s = this.sessions.get(id);
    const ms = s ? this.expiresAt(s) - this.now() : this.options.idleMs;
    return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.max(0, Math.floor(ms / 1000))}${this.options.secure ? '; Secure' : ''}`;
  }

  clearCookie(): string {
    return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${this.options.secure ? '; Secure' : ''}`;
  }
}
