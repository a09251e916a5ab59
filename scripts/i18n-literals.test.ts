import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { findLiteralText, isProse, literalTextIn } from './i18n-literals.js';

const renderer = fileURLToPath(new URL('../renderer', import.meta.url));

describe('no literal text in the renderer', () => {
  it('finds none in any .svelte file', () => {
    expect(literalTextIn(renderer, fileURLToPath(new URL('..', import.meta.url)))).toEqual([]);
  });
});

describe('the literal-text check itself', () => {
  it('fails on a planted text node, a planted title / aria-label / placeholder and a prose literal', () => {
    const found = findLiteralText(`<script>let ok = true;</script>
<p>Import finished</p>
<button title="Close it" aria-label="Close">x</button>
<Input placeholder="automatic" />
<Field label="Run name" />
<span>{ok ? 'Saved' : 'Could not save'}</span>
<span>{\`\${3} files left\`}</span>
<p>中文</p>`);
    expect(found.map((f) => [f.where, f.text, f.line])).toEqual([
      ['text', 'Import finished', 2],
      ['attribute title', 'Close it', 3],
      ['attribute aria-label', 'Close', 3],
      ['attribute placeholder', 'automatic', 4],
      ['attribute label', 'Run name', 5],
      ['expression', 'Saved', 6],
      ['expression', 'Could not save', 6],
      ['expression', 'files left', 7],
      ['text', '中文', 8],
    ]);
  });

  it('lets translated text, keys, machinery, commands and symbols through', () => {
    expect(findLiteralText(`<script>import { t } from './i18n';</script>
<p class="muted small" data-testid="x-y">{t('common.cancel')} · {t(\`states.\${'done'}\`)}</p>
<code>gan-studio train --task generate</code><kbd>?</kbd>
<span>{w}×{h} · A → B · 12 dB · SSIM · PNG</span>
<Button icon="trash" variant="danger" onclick={() => go('train')} />
<Badge tone={x ? 'success' : 'neutral'}>{x}</Badge>
<!-- a comment in English -->`)).toEqual([]);
  });

  it('tells prose from symbols', () => {
    expect(isProse('Fit')).toBe(true);
    expect(isProse('× 2 · → —')).toBe(false);
    expect(isProse('A')).toBe(false);
    expect(isProse('dB')).toBe(false);
  });
});
