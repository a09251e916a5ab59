// The one page a browser sees before it has a session. A plain form (no script, so the strict
// CSP holds); the token travels once in a POST body, never in a URL. Its words come from the
// studio's catalogues (locales/), in the browser's language (Accept-Language).
import { acceptLanguageTags, CATALOGUES, lookup, matchLocale, type MessageKey } from '../../locales/index.js';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function loginPage(error?: 'wrongToken' | 'tooManyTries', acceptLanguage?: string): string {
  const locale = matchLocale(acceptLanguageTags(acceptLanguage));
  const t = (key: MessageKey) => escapeHtml(lookup(CATALOGUES[locale], key));
  const message = error ? t(`login.${error}`) : '';
  const [hintBefore = '', hintAfter = ''] = t('login.hint').split('{command}');
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('login.pageTitle')}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; background: #101418; color: #e8eaed; display: grid; place-items: center; min-height: 100vh; margin: 0; }
  form { background: #1b2128; padding: 2rem; border-radius: 12px; width: min(26rem, 90vw); box-shadow: 0 8px 30px #0008; }
  h1 { font-size: 1.3rem; margin: 0 0 1rem; }
  label { display: block; margin-bottom: .4rem; }
  input { width: 100%; box-sizing: border-box; padding: .6rem; border-radius: 6px; border: 1px solid #3c4650; background: #0d1115; color: inherit; font: inherit; }
  button { margin-top: 1rem; padding: .6rem 1.2rem; border: 0; border-radius: 6px; background: #7c5cff; color: white; font: inherit; cursor: pointer; }
  p.error { color: #ff8a80; }
  p.hint { color: #9aa4ad; font-size: .9rem; }
</style>
</head>
<body>
<form method="post" action="/api/login" data-testid="login-form">
  <h1>${t('app.name')}</h1>
  ${message ? `<p class="error" data-testid="login-error">${message}</p>` : ''}
  <label for="token">${t('login.token')}</label>
  <input id="token" name="token" type="password" autocomplete="current-password" autofocus required data-testid="login-token">
  <p class="hint">${hintBefore}<code>gan-studio serve</code>${hintAfter}</p>
  <button type="submit" data-testid="login-submit">${t('login.submit')}</button>
</form>
</body>
</html>
`;
}
