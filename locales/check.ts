// Checks that two catalogues say the same things: every key of the source is in the other (and
// nothing else is), and each message uses the same placeholders — a translation that drops
// {count} or renames {name} would show a raw brace or lose a number at run time.
type Tree = { [key: string]: string | Tree };

/** dotted key → message */
export function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

/**
 * The argument names of an ICU message: `{name}`, `{count, plural, one {…} other {…}}`, and the
 * arguments inside plural / select branches (whose bodies are messages, not arguments).
 */
export function placeholders(message: string): string[] {
  const names = new Set<string>();
  let i = 0;
  // reads message text until the closing brace of the enclosing branch (or the end)
  function text(): void {
    while (i < message.length && message[i] !== '}') {
      if (message[i] === "'" && /[{}#|']/.test(message[i + 1] ?? '')) {
        const end = message.indexOf("'", i + 1);
        i = end < 0 ? message.length : end + 1;
      } else if (message[i] === '{') {
        i++;
        argument();
      } else i++;
    }
  }
  function argument(): void {
    const head = /^\s*([A-Za-z_][\w]*)\s*(?:,\s*(\w+)\s*)?/.exec(message.slice(i));
    if (!head) throw new Error(`not an ICU argument at ${i}: ${message}`);
    names.add(head[1]!);
    i += head[0].length;
    if (head[2] && /^(plural|select|selectordinal)$/.test(head[2]) && message[i] === ',') {
      i++;
      // options: `key {message}` … until the argument's closing brace
      while (i < message.length && message[i] !== '}') {
        if (message[i] === '{') {
          i++;
          text();
          i++; // the branch's closing brace
        } else i++;
      }
    } else {
      while (i < message.length && message[i] !== '}') i++; // a number/date style: `{n, number}`
    }
    i++; // the argument's closing brace
  }
  text();
  return [...names].sort();
}

export function compareCatalogues(source: Tree, other: Tree, otherName: string): string[] {
  const a = flatten(source);
  const b = flatten(other);
  const problems: string[] = [];
  for (const [key, message] of a) {
    const translated = b.get(key);
    if (translated === undefined) problems.push(`${otherName}: missing "${key}" (en: ${JSON.stringify(message)})`);
    else if (!translated.trim()) problems.push(`${otherName}: "${key}" is empty`);
    else if (placeholders(message).join() !== placeholders(translated).join()) {
      problems.push(`${otherName}: "${key}" uses {${placeholders(translated).join('}, {')}} but en uses {${placeholders(message).join('}, {')}}`);
    }
  }
  for (const key of b.keys()) if (!a.has(key)) problems.push(`${otherName}: "${key}" is not in en.ts (a stale or misspelt key)`);
  return problems;
}
