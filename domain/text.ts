/**
 * Text the service can store and log: PostgreSQL `text` and `jsonb` refuse a NUL character
 * (U+0000), and a lone UTF-16 surrogate ("a\ud800b", which JSON.parse accepts) is not Unicode,
 * so the database or the audit insert would fail on it. Every string that enters (JSON bodies,
 * queries, paths, import rows) is checked with {@link textFlaw}, the one predicate of the rule.
 */

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `s` cannot be accepted as text, or null when it can. */
export function textFlaw(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return null;
}

/** Deepest nesting of arrays and objects accepted in a request (deeper JSON is refused, not walked). */
export const MAX_JSON_DEPTH = 64;

/**
 * Every flaw of a parsed JSON value (or query/path object): strings and object keys with a
 * {@link textFlaw}, and nesting deeper than {@link MAX_JSON_DEPTH}. Walks iteratively (a 1 MB
 * body of `[[[[…` must not overflow the stack) and stops after `max` flaws.
 */
export function jsonFlaws(value: unknown, max = 20): { path: (string | number)[]; message: string }[] {
  const flaws: { path: (string | number)[]; message: string }[] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0 && flaws.length < max) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const flaw = textFlaw(v);
      if (flaw) flaws.push({ path, message: flaw });
    } else if (v !== null && typeof v === 'object') {
      if (path.length >= MAX_JSON_DEPTH) {
        flaws.push({ path, message: `nested deeper than ${MAX_JSON_DEPTH} levels` });
        continue;
      }
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
      } else {
        const entries = Object.entries(v);
        for (let i = entries.length - 1; i >= 0; i--) {
          const [k, child] = entries[i];
          const flaw = textFlaw(k);
          if (flaw) flaws.push({ path, message: `a field name ${flaw}` });
          else stack.push({ v: child, path: [...path, k] });
        }
      }
    }
  }
  return flaws;
}
