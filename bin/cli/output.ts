/** Plain-text output of the CLI: aligned tables and number formats. */

export type Align = 'l' | 'r';

/** An aligned text table: header, a rule, the rows; every line starts with `indent`. */
export function table(head: string[], rows: string[][], align: Align[] = [], indent = ''): string {
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    indent + cells.map((c, i) => pad(c ?? '', widths[i], align[i] ?? 'l')).join('  ').trimEnd() + '\n';
  return line(head) + indent + widths.map((w) => '-'.repeat(w)).join('  ') + '\n' + rows.map(line).join('');
}

/** Display width: CJK characters (organization names, …) take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, w: number, a: Align): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return a === 'r' ? fill + s : s + fill;
}

/** Money in major units with two decimals and thousands separators. */
export const money = (x: number): string => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A number as the service rounded it, with thousands separators. */
export const num = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 6 });

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
