import { describe, expect, it } from 'vitest';
import { getMessageFormatter, addMessages } from 'svelte-i18n';
import { LANGUAGE_PREFS } from '../src/contract/settings.js';
import { compareCatalogues, flatten, placeholders } from './check.js';
import { acceptLanguageTags, CATALOGUES, LOCALES, matchLocale } from './index.js';
import { en } from './en.js';

describe('the message catalogues', () => {
  it('have the same keys and placeholders in every language', () => {
    for (const locale of LOCALES) expect(compareCatalogues(en, CATALOGUES[locale], `${locale}.ts`)).toEqual([]);
  });

  it('are valid ICU MessageFormat, and every message formats in its language', () => {
    for (const locale of LOCALES) {
      addMessages(locale, CATALOGUES[locale] as never);
      for (const [key, message] of flatten(CATALOGUES[locale])) {
        const values = Object.fromEntries(placeholders(message).map((p) => [p, 2]));
        const out = getMessageFormatter(key, locale).format(values);
        expect(typeof out === 'string' && out.length > 0, `${locale} ${key}`).toBe(true);
      }
    }
  });

  it('the Chinese catalogue is Chinese: no message left in English', () => {
    // names, codes and units that are the same in both languages
    const same = /^(GAN Studio|GAN Studio .*|CycleGAN|CPU|RGB|RGBA|GIF|English|简体中文|\{.*\}| · Electron \{version\})$/;
    const untranslated = [...flatten(CATALOGUES['zh-CN'])].filter(([, m]) => !/[\u3400-\u9fff]/.test(m) && /[a-z]{3,}/i.test(m.replace(/\{[^}]*\}/g, '')) && !same.test(m));
    expect(untranslated).toEqual([]);
  });

  it('offers in Settings exactly the languages it has', () => {
    expect([...LANGUAGE_PREFS]).toEqual(['auto', ...LOCALES]);
  });

  it('picks the language from a browser’s preferences', () => {
    expect(matchLocale(['zh-TW', 'en'])).toBe('zh-CN');
    expect(matchLocale(['fr-FR', 'en-GB'])).toBe('en');
    expect(matchLocale(['fr'])).toBe('en');
    expect(acceptLanguageTags('fr;q=0.5, zh-CN, en;q=0.8')).toEqual(['zh-CN', 'en', 'fr']);
    expect(matchLocale(acceptLanguageTags('de-DE,de;q=0.9,zh;q=0.8,en;q=0.7'))).toBe('zh-CN');
  });
});

describe('the catalogue check itself', () => {
  it('reads the arguments of an ICU message, not the words of its branches', () => {
    expect(placeholders('{count, plural, one {# step} other {{count} steps of {total}}}')).toEqual(['count', 'total']);
    expect(placeholders('Hello {name}, {kind, select, a {x} other {y}}')).toEqual(['kind', 'name']);
  });

  it('fails on a missing key, a stale key, an empty message and a dropped placeholder', () => {
    const source = { a: { title: 'Hello', count: '{count, plural, one {# file} other {# files}}' }, b: 'Bye {name}' };
    expect(compareCatalogues(source, { a: { title: '你好', count: '{count} 个文件' }, b: '再见 {name}' }, 'zh')).toEqual([]);
    expect(compareCatalogues(source, { a: { count: '{n} 个文件' }, b: '', c: '多余' }, 'zh')).toEqual([
      'zh: missing "a.title" (en: "Hello")',
      'zh: "a.count" uses {n} but en uses {count}',
      'zh: "b" is empty',
      'zh: "c" is not in en.ts (a stale or misspelt key)',
    ]);
  });
});
