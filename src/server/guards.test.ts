import { describe, expect, it } from 'vitest';
import { allowedHostnames, generateToken, hostnameOf, isAllowedHost, isLoopbackHost, isSameOrigin, parseCookies, SessionStore, tokensEqual } from './guards.js';

describe('guards', () => {
  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '192.168.1.5', 'example.com', '::']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('parses Host headers and refuses rebinding names', () => {
    expect(hostnameOf('LOCALHOST:7860')).toBe('localhost');
    expect(hostnameOf('[::1]:7860')).toBe('::1');
    expect(hostnameOf('evil.example/x')).toBeNull();
    const allowed = allowedHostnames('127.0.0.1');
    expect(isAllowedHost('127.0.0.1:7860', allowed)).toBe(true);
    expect(isAllowedHost('localhost:7860', allowed)).toBe(true);
    expect(isAllowedHost('attacker.example:7860', allowed)).toBe(false);
    expect(isAllowedHost(undefined, allowed)).toBe(false);
    expect(isAllowedHost('192.168.0.9:7860', allowed)).toBe(false);
  });

  it('accepts only the same origin', () => {
    expect(isSameOrigin(undefined, '127.0.0.1:7860')).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:7860', '127.0.0.1:7860')).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:7861', '127.0.0.1:7860')).toBe(false);
    expect(isSameOrigin('https://evil.example', '127.0.0.1:7860')).toBe(false);
    expect(isSameOrigin('null', '127.0.0.1:7860')).toBe(false);
    expect(isSameOrigin('file://', '127.0.0.1:7860')).toBe(false);
  });

  it('makes 256-bit tokens and compares them in constant time', () => {
    const t = generateToken();
    expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    expect(generateToken()).not.toBe(t);
    expect(tokensEqual(t, t)).toBe(true);
    expect(tokensEqual(t.slice(0, -1), t)).toBe(false);
    expect(tokensEqual('', t)).toBe(false);
  });

  it('issues HttpOnly SameSite=Strict session cookies', () => {
    const store = new SessionStore();
    const id = store.create();
    expect(store.valid(id)).toBe(true);
    expect(store.valid('forged')).toBe(false);
    expect(store.cookie(id)).toMatch(/HttpOnly; SameSite=Strict; Path=\//);
    expect(parseCookies(`a=1; gan_studio_session=${id}`)['gan_studio_session']).toBe(id);
  });
});
