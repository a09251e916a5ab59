// Who may use a server that has a token: a session cookie (from /login), or the token itself as
// `Authorization: Bearer`. Token checks — the login form and Bearer headers — are throttled
// (throttle.ts) and every refusal is logged, at most one line per client and kind every 10 s.
// Sessions expire after a day unused and after three days at most, are renewed while in use,
// and /api/logout revokes one on the server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCookies, SessionStore, SESSION_COOKIE, tokensEqual } from './guards.js';
import { readCappedBody, sendJson, sendRefusal } from './http-util.js';
import { loginPage } from './login-page.js';
import { LoginThrottle, type ThrottleDecision, type ThrottleOptions } from './throttle.js';

export interface AuthRefusal {
  status: 401 | 429;
  message: string;
  retryAfterMs?: number;
}

export interface AuthOptions {
  token: string | undefined;
  throttle?: Partial<ThrottleOptions>;
  log: (line: string) => void;
  /** the cookie gets `Secure` (the studio is reached over https through a proxy) */
  secureCookie?: boolean;
  sessions?: SessionStore;
}

/** The peer's address: what throttling and the refusal log key on. */
export function clientOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), 'Cache-Control': 'no-store' });
  res.end(html);
}

export function createAuth(options: AuthOptions) {
  const { token } = options;
  const sessions = options.sessions ?? new SessionStore({ secure: options.secureCookie });
  const throttle = new LoginThrottle(options.throttle);
  const logLimit = new Map<string, number>();

  /** one line per client and kind every 10 s at most: a flood of guesses must not flood the log */
  function logRefusal(kind: string, client: string, line: string): void {
    const key = `${kind} ${client}`;
    const now = Date.now();
    if ((logLimit.get(key) ?? 0) > now - 10_000) return;
    if (logLimit.size > 10_000) logLimit.clear();
    logLimit.set(key, now);
    options.log(`gan-studio serve: ${line}`);
  }

  function throttled(client: string, gate: Exclude<ThrottleDecision, { ok: true }>): AuthRefusal {
    const seconds = Math.ceil(gate.retryAfterMs / 1000);
    logRefusal('throttled', client, gate.reason === 'global'
      ? `too many wrong tokens from all clients: refusing token checks for ${seconds} s (latest from ${client})`
      : `too many wrong tokens from ${client}: refusing its token checks for ${seconds} s`);
    return { status: 429, message: `too many wrong access tokens; try again in ${seconds} s`, retryAfterMs: gate.retryAfterMs };
  }

  return {
    logRefusal,

    /** null when the request may go on (a used session may get a renewed cookie on `res`) */
    authenticate(req: IncomingMessage, res?: ServerResponse): AuthRefusal | null {
      if (!token) return null;
      const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (bearer === undefined) {
        const id = parseCookies(req.headers.cookie)[SESSION_COOKIE];
        if (!sessions.valid(id)) return { status: 401, message: 'sign in first: open /login and type the access token' };
        if (res && sessions.touch(id!)) res.setHeader('Set-Cookie', sessions.cookie(id!));
        return null;
      }
      const client = clientOf(req);
      const gate = throttle.check(client);
      if (!gate.ok) return throttled(client, gate);
      if (tokensEqual(bearer.trim(), token)) {
        throttle.success(client);
        return null;
      }
      throttle.failure(client);
      logRefusal('bearer', client, `wrong Bearer token from ${client}`);
      return { status: 401, message: 'wrong access token' };
    },

    refuse(res: ServerResponse, refusal: AuthRefusal): void {
      if (refusal.retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.ceil(refusal.retryAfterMs / 1000)));
      sendRefusal(res, refusal.status, 'UNAUTHORIZED', refusal.message);
    },

    /** POST /api/login: the form (303 to /) or JSON; throttled before the body is even read */
    async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const language = header(req, 'accept-language');
      const client = clientOf(req);
      const gate = throttle.check(client);
      if (!gate.ok) {
        req.resume();
        const refusal = throttled(client, gate);
        res.setHeader('Retry-After', String(Math.ceil(gate.retryAfterMs / 1000)));
        if (isForm) return sendHtml(res, 429, loginPage('tooManyTries', language));
        return sendRefusal(res, 429, 'UNAUTHORIZED', refusal.message);
      }
      const body = (await readCappedBody(req, 4096)).toString('utf8');
      let given = '';
      if (isForm) given = new URLSearchParams(body).get('token') ?? '';
      else {
        try {
          given = String((JSON.parse(body) as { token?: unknown }).token ?? '');
        } catch {
          given = '';
        }
      }
      if (!token || !tokensEqual(given, token)) {
        throttle.failure(client);
        logRefusal('login', client, `wrong access token on /api/login from ${client}`);
        // a short pause makes online guessing slower still (256 random bits are the real defence)
        await new Promise((r) => setTimeout(r, 250));
        if (isForm) return sendHtml(res, 401, loginPage('wrongToken', language));
        return sendRefusal(res, 401, 'UNAUTHORIZED', 'wrong access token');
      }
      throttle.success(client);
      res.setHeader('Set-Cookie', sessions.cookie(sessions.create()));
      if (isForm) {
        res.writeHead(303, { Location: '/' });
        return void res.end();
      }
      sendJson(res, 200, { ok: true, value: { ok: true } });
    },

    /** POST /api/logout: the session ends on the server too, not just in this browser */
    logout(req: IncomingMessage, res: ServerResponse): void {
      req.resume();
      sessions.revoke(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
      res.setHeader('Set-Cookie', sessions.clearCookie());
      sendJson(res, 200, { ok: true, value: { loginRequired: Boolean(token) } });
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
