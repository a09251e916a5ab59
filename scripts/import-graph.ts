// The import graph of our TypeScript and Svelte sources, read from the sources themselves (not
// from a bundle), so type-only imports and lazy `await import('./x.js')` count as edges too: a
// cycle through a type or a lazy import still ties the two folders together. Used by
// import-graph.test.ts (no cycles, layer counts) and handy by hand:
//   npx tsx scripts/import-graph.ts   (prints every cycle)
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const SOURCE = /\.(ts|svelte)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'testing-output']);

/** Every .ts / .svelte file under `dir` (relative to root), tests included: they are code too. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(join(root, d), { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(join(d, entry.name));
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(join(d, entry.name));
    }
  };
  walk(dir);
  return out.sort();
}

/** The module specifiers a file names: static, type-only, re-exports and literal dynamic imports. */
export function importSpecifiers(code: string, fileName: string): string[] {
  const scripts = fileName.endsWith('.svelte') ? [...code.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!) : [code];
  const specs: string[] = [];
  for (const text of scripts) {
    const sf = ts.createSourceFile(fileName.replace(/\.svelte$/, '.ts'), text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const visit = (node: ts.Node) => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        specs.push(node.moduleSpecifier.text);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
        specs.push(node.arguments[0].text);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        specs.push(node.argument.literal.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return specs;
}

/** Resolves a relative specifier the way our NodeNext build does ('./x.js' is './x.ts'). */
function resolveRelative(root: string, from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(root, dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile() && SOURCE.test(c)) return relative(root, c);
  return null;
}

export type Graph = Map<string, string[]>;

export function importGraph(root: string, dirs: string[]): Graph {
  const graph: Graph = new Map();
  for (const dir of dirs) {
    for (const file of sourceFiles(root, dir)) {
      const specs = importSpecifiers(readFileSync(join(root, file), 'utf8'), file);
      graph.set(file, [...new Set(specs.map((s) => resolveRelative(root, file, s)).filter((f): f is string => f !== null))]);
    }
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): the cycles. */
export function cycles(graph: Graph): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return found;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename ?? '')) {
  const root = process.cwd();
  const found = cycles(importGraph(root, ['src', 'renderer']));
  for (const c of found) console.log(`cycle of ${c.length}:\n  ${c.join('\n  ')}`);
  console.log(`${found.length} cycle(s)`);
}
