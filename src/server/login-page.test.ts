import { describe, expect, it } from 'vitest';
import { loginPage } from './login-page.js';

describe('the login page', () => {
  it('speaks the browser’s language, from the same catalogues as the studio', () => {
    const zh = loginPage('wrongToken', 'zh-CN,zh;q=0.9,en;q=0.8');
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('<label for="token">访问令牌</label>');
    expect(zh).toContain('令牌在 <code>gan-studio serve</code> 启动时打印过一次。');
    expect(zh).toContain('data-testid="login-error">令牌不正确。</p>');
    const en = loginPage(undefined, 'fr-FR,en;q=0.5');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('The token was printed once by <code>gan-studio serve</code> when it started.');
    expect(en).not.toContain('login-error');
    expect(loginPage()).toContain('Sign in');
  });
});
