/**
 * Canonical JSON of a JSON-compatible value: `JSON.stringify` semantics (no whitespace; numbers
 * in ECMAScript shortest round-trip form, non-finite numbers as `null`; `toJSON` honoured, so a
 * `Date` becomes its ISO string; `undefined` / function members omitted, as array items `null`)
 * with the keys of every object sorted by UTF-16 code units. For data that are already JSON this
 * is the JSON Canonicalization Scheme (RFC 8785), so any JCS implementation reproduces it.
 * Throws `TypeError` for a BigInt or a cyclic structure (as `JSON.stringify` does).
 */
export function canonicalJson(value: unknown): string {
  const seen = new Set<object>();
  const enc = (v: unknown): string | undefined => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(): unknown }).toJSON();
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string': return JSON.stringify(v);
      case 'number': return Number.isFinite(v) ? JSON.stringify(v) : 'null';
      case 'boolean': return v ? 'true' : 'false';
      case 'bigint': throw new TypeError('canonicalJson: BigInt is not JSON');
      case 'undefined': case 'function': case 'symbol': return undefined;
    }
    const o = v as object;
    if (seen.has(o)) throw new TypeError('canonicalJson: cyclic structure');
    seen.add(o);
    let out: string;
    if (Array.isArray(o)) {
      out = `[${o.map((x) => enc(x) ?? 'null').join(',')}]`;
    } else {
      const parts: string[] = [];
      for (const k of Object.keys(o).sort()) {
        const s = enc((o as Record<string, unknown>)[k]);
        if (s !== undefined) parts.push(`${JSON.stringify(k)}:${s}`);
      }
      out = `{${parts.join(',')}}`;
    }
    seen.delete(o);
    return out;
  };
  return enc(value) ?? 'null';
}
