/**
 * Serial numbers of identified robot units (issue 14 item 3). There is no common standard for
 * robot serial numbers, so the rule is ours: a serial is compared in one canonical form, so that
 * `ab-0001`, ` AB-0001 ` and `ＡＢ-0001` (full-width) name the same robot and cannot be insured
 * twice. Canonical form: Unicode NFKC, trimmed, upper case; then 1–64 characters of A–Z, 0–9 and
 * `- _ . /`, starting with a letter or digit. Inner spaces are refused (not squeezed): "AB 1"
 * and "AB1" could be two robots.
 */

export const SERIAL_MAX_LENGTH = 64;
const SERIAL = /^[A-Z0-9][A-Z0-9._/-]*$/;

/** The canonical form of a serial number, or an error message when it cannot be one. */
export function canonicalSerial(raw: string): { serial: string } | { error: string } {
  const s = raw.normalize('NFKC').trim().toUpperCase();
  if (s.length === 0) return { error: 'a serial number is not empty' };
  if (s.length > SERIAL_MAX_LENGTH) return { error: `a serial number has at most ${SERIAL_MAX_LENGTH} characters` };
  if (!SERIAL.test(s)) return { error: 'a serial number is letters A-Z, digits and - _ . / (starting with a letter or digit), without spaces' };
  return { serial: s };
}

/** Separators of a serial list in one CSV cell: `;`, `|` or whitespace. */
const LIST_SEPARATOR = /[;|\s]+/;

/**
 * A list of serial numbers, from an array or one text cell (`A-1;A-2`, `A-1 | A-2`): each in
 * canonical form, in the given order, with the problems found (a bad entry, a duplicate).
 */
export function parseSerialList(value: string | readonly string[]): { serials: string[]; problems: string[] } {
  const parts = typeof value === 'string' ? value.split(LIST_SEPARATOR).filter((x) => x !== '') : value;
  const serials: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, part] of parts.entries()) {
    const c = canonicalSerial(part);
    if ('error' in c) problems.push(`serial ${i + 1} ('${part.slice(0, 80)}'): ${c.error}`);
    else if (seen.has(c.serial)) problems.push(`serial ${c.serial} appears twice`);
    else {
      seen.add(c.serial);
      serials.push(c.serial);
    }
  }
  return { serials, problems };
}
