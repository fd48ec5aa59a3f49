/**
 * Natural ("human") order of factor level labels, used for the order of non-base terms and to
 * break ties when choosing the default base level.
 */

const chunk = /(\d+)|(\D+)/g;

/**
 * Compares two labels by splitting them into runs of decimal digits and runs of other
 * characters: digit runs compare by numeric value (`"2" < "10"`), other runs by UTF-16 code
 * units (locale-independent, so the order is the same on every machine); when all runs are equal
 * the shorter label comes first, then plain code-unit order decides (e.g. `"01"` vs `"1"`).
 * Returns a negative number, zero or a positive number like `Array.prototype.sort` expects.
 */
export function naturalCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ca = a.match(chunk) ?? [];
  const cb = b.match(chunk) ?? [];
  const m = Math.min(ca.length, cb.length);
  for (let i = 0; i < m; i++) {
    const x = ca[i];
    const y = cb[i];
    if (x === y) continue;
    const dx = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const dy = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (dx && dy) {
      const nx = Number(x);
      const ny = Number(y);
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  if (ca.length !== cb.length) return ca.length - cb.length;
  return a < b ? -1 : 1;
}
