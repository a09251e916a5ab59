// Lint, with the architecture's layer rules enforced by tooling:
//  - src/ never imports electron or renderer/, and each folder of src/ only its layer and lower;
//  - renderer/ imports only *types* from src/contract, and nothing else from src/ or Node;
//  - electron/ imports src/ only through its public entry (src/index.ts) and src/contract;
//  - only electron/window.ts may construct a BrowserWindow (one secure window factory).
import { readFileSync } from 'node:fs';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';

const nodeBuiltins = ['fs', 'path', 'child_process', 'os', 'net', 'http', 'https', 'crypto', 'worker_threads', 'stream', 'url', 'util', 'zlib'];

// The core's layers, lowest first (scripts/layers.json): a folder imports only from its own layer
// and the layers below (docs/DEVELOPING.md draws the map). scripts/import-graph.test.ts checks the
// same order on the resolved import graph — lazy `import()` and type-only imports included — and
// that the graph has no cycle.
const LAYERS = JSON.parse(readFileSync(new URL('./scripts/layers.json', import.meta.url), 'utf8')).layers;

const coreBase = {
  paths: [{ name: 'electron', message: 'src/ is the plain-Node core: it never imports electron.' }],
  patterns: [
    { group: ['**/renderer/**', '**/renderer'], message: 'src/ never imports from renderer/.' },
    { group: ['**/electron/**'], message: 'src/ never imports from electron/.' },
  ],
};

/** One lint block per folder of the core: its imports may not reach a higher layer. */
function layerRules() {
  return LAYERS.slice(1).flatMap((folders, level) => {
    const above = LAYERS.slice(level + 2).flat();
    if (!above.length) return [];
    return folders.map((folder) => ({
      files: [`src/${folder}/**/*.ts`],
      // tests and their fixtures drive the whole stack: they may import any layer
      ignores: ['src/**/*.test.ts', 'src/**/testing/**'],
      rules: {
        'no-restricted-imports': ['error', {
          ...coreBase,
          patterns: [...coreBase.patterns, {
            regex: `^(\\.\\./)+(${above.join('|')})(/|$)`,
            message: `src/${folder}/ sits below ${above.join(', ')}: it may import only its own layer and the ones under it (scripts/layers.json, docs/DEVELOPING.md).`,
          }],
        }],
      },
    }));
  });
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e-artifacts/**', 'release/**', 'bench/results/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', coreBase] },
  },
  ...layerRules(),
  {
    files: ['src/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(?!zod$|\\./).*', message: 'src/contract/ imports only the schema library (zod) and its own files.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'The renderer talks to the app only through renderer/lib/api.ts.' },
          ...nodeBuiltins.flatMap((m) => [{ name: m, message: 'The renderer runs in a browser: no Node modules.' }, { name: `node:${m}`, message: 'The renderer runs in a browser: no Node modules.' }]),
        ],
        patterns: [
          // task-traits.ts is plain data with type-only imports: the one contract module the views read as a value
          { regex: '(^|/)src/contract(/(?!task-traits\\.js$).*)?$', allowTypeImports: true, message: 'The renderer imports only types from src/contract (and the plain-data task traits).' },
          { regex: '(^|/)src/(?!contract(/|$))', message: 'The renderer never imports the core: only types from src/contract.' },
          { group: ['**/electron/**'], message: 'The renderer never imports electron/.' },
        ],
      }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^\\.\\./src/(?!index\\.js$|contract/)', message: 'electron/ imports src/ only through its public entry, src/index.js.' },
          { group: ['**/renderer/**'], message: 'electron/ never imports renderer code; it loads the built UI.' },
        ],
      }],
      'no-restricted-syntax': ['error', {
        selector: "NewExpression[callee.name='BrowserWindow']",
        message: 'Create windows only through createSecureWindow() in electron/window.ts.',
      }],
    },
  },
  {
    files: ['electron/window.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
