// The "no string left behind" check: user-visible literal text in a .svelte template fails the
// build, so every word goes through the message catalogues (locales/). It reads the compiler's
// own AST (svelte/compiler `parse`), not regular expressions, and looks at
//  - text nodes (outside <code>, <kbd>, <pre>, <style>, <script>: commands and keys stay as typed),
//  - the attributes people read or hear (title, aria-label, placeholder, alt, and the components'
//    label / description / hint / subtitle props) when they hold literal text,
//  - string literals inside template expressions that read like prose ({ok ? 'Saved' : 'Failed'}).
// Acronyms, units and symbols (PNG, A, dB, ×, ·, →) are not words to translate and pass.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';

export interface LiteralFinding {
  file: string;
  line: number;
  text: string;
  where: 'text' | `attribute ${string}` | 'expression';
}

const READ_ATTRIBUTES = new Set(['title', 'aria-label', 'aria-description', 'aria-valuetext', 'aria-placeholder', 'placeholder', 'alt', 'label', 'description', 'hint', 'subtitle', 'backLabel', 'beforeLabel', 'afterLabel']);
/** attributes whose values are machinery, never shown: literals there are fine */
const MACHINE_ATTRIBUTE = /^(class|id|for|href|src|type|name|role|accept|autocomplete|form|style|tabindex|min|max|step|value|testid|icon|tone|variant|size|fit|position|shortcut|keys|download|data-.*|aria-(?!label|description|valuetext|placeholder).*)$/;
const VERBATIM_ELEMENTS = new Set(['code', 'kbd', 'pre', 'style', 'script', 'Kbd']);
/** units and names that read the same in every language */
const UNIVERSAL = new Set(['dB', 'px', 'SSIM', 'PSNR', 'GIF', 'PNG', 'JPEG', 'WebP', 'RGB', 'RGBA', 'ETA', 'CLI', 'GAN', 'GFLOP']);
const TRANSLATE_CALLS = new Set(['t', 'tMaybe', 'tParts']);

/** Does this text hold words a person reads (as opposed to symbols, numbers, acronyms, units)? */
export function isProse(text: string): boolean {
  if (/[\u3400-\u9fff]/.test(text)) return true; // Chinese typed straight into a template
  const words = text.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
  return words.some((w) => !UNIVERSAL.has(w) && /\p{Ll}/u.test(w) && w.length >= 2);
}

/** A literal inside an expression: flag sentences and Capitalised words, not keys or ids. */
function isProseLiteral(value: string): boolean {
  if (!isProse(value)) return false;
  if (/^[\w.-]+$/.test(value) && !/^\p{Lu}\p{Ll}/u.test(value)) return false; // 'common.cancel', 'a2b', 'latest-id'
  if (/^[\w-]+(\/[\w-]+)+$/.test(value)) return false; // 'loss/G'
  return /\s/.test(value) || /^\p{Lu}\p{Ll}/u.test(value);
}

type Node = { type?: string; [key: string]: unknown };

export function findLiteralText(source: string, file = 'inline.svelte'): LiteralFinding[] {
  const ast = parse(source, { modern: true }) as unknown as { fragment: Node };
  const findings: LiteralFinding[] = [];
  const lineOf = (node: Node) => source.slice(0, Number(node.start ?? 0)).split('\n').length;
  const report = (node: Node, text: string, where: LiteralFinding['where']) => findings.push({ file, line: lineOf(node), text: text.trim(), where });

  function expression(node: unknown): void {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(expression);
    const n = node as Node;
    if (n.type === 'CallExpression' && TRANSLATE_CALLS.has(String((n.callee as Node | undefined)?.name))) return;
    if (n.type === 'Literal' && typeof n.value === 'string' && isProseLiteral(n.value)) report(n, n.value, 'expression');
    if (n.type === 'TemplateElement') {
      const raw = String((n.value as { cooked?: string }).cooked ?? '');
      if (isProse(raw) && /\p{L}{3,}/u.test(raw)) report(n, raw, 'expression');
    }
    for (const [key, value] of Object.entries(n)) if (key !== 'type' && key !== 'start' && key !== 'end' && key !== 'loc') expression(value);
  }

  function attributes(list: Node[]): void {
    for (const attr of list) {
      if (attr.type !== 'Attribute') {
        if (attr.type === 'BindDirective' || attr.type === 'OnDirective' || attr.type === 'AttachTag') continue;
        expression(attr.expression);
        continue;
      }
      const name = String(attr.name);
      if (MACHINE_ATTRIBUTE.test(name) && !READ_ATTRIBUTES.has(name)) continue;
      const parts = attr.value === true ? [] : Array.isArray(attr.value) ? (attr.value as Node[]) : [attr.value as Node];
      for (const part of parts) {
        if (part.type === 'Text' && READ_ATTRIBUTES.has(name) && isProse(String(part.data))) report(part, String(part.data), `attribute ${name}`);
        if (part.type === 'ExpressionTag') expression(part.expression);
      }
    }
  }

  function fragment(node: unknown, verbatim: boolean): void {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n) => fragment(n, verbatim));
    const n = node as Node;
    switch (n.type) {
      case 'Text':
        if (!verbatim && isProse(String(n.data))) report(n, String(n.data), 'text');
        return;
      case 'ExpressionTag':
        if (!verbatim) expression(n.expression);
        return;
      case 'Comment':
        return;
      case 'RegularElement':
      case 'Component':
      case 'SvelteElement':
      case 'SvelteComponent':
      case 'SlotElement':
        attributes((n.attributes as Node[]) ?? []);
        fragment(n.fragment, verbatim || VERBATIM_ELEMENTS.has(String(n.name)));
        return;
      default:
        for (const [key, value] of Object.entries(n)) {
          if (key === 'start' || key === 'end' || key === 'type') continue;
          // block tests and each-expressions are logic, their bodies are template
          if (key === 'test' || key === 'expression' || key === 'key' || key === 'context' || key === 'index') continue;
          fragment(value, verbatim);
        }
    }
  }

  fragment(ast.fragment, false);
  return findings;
}

export function svelteFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) svelteFiles(full, out);
    else if (name.endsWith('.svelte')) out.push(full);
  }
  return out;
}

/** Every finding under `root` (renderer/), as "file:line: text" lines. */
export function literalTextIn(root: string, base = root): string[] {
  return svelteFiles(root).flatMap((file) =>
    findLiteralText(readFileSync(file, 'utf8'), relative(base, file)).map((f) => `${f.file}:${f.line}: ${f.where}: ${JSON.stringify(f.text)} — put it in locales/en.ts and zh-CN.ts and use t()`),
  );
}
