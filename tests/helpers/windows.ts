/**
 * Every window a regulator may ask the statistics routes for over some months (docs/disclosure-
 * control.md §2): all time, each calendar year, quarter and month that holds one of `months`
 * (`YYYY-MM`), as query strings with their `from`/`to`. Used by the attacker audits.
 */
export function answerableWindows(months: readonly string[]): { q: string; from?: string; to?: string }[] {
  const out: { q: string; from?: string; to?: string }[] = [{ q: '' }];
  const last = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  for (const y of new Set(months.map((m) => Number(m.slice(0, 4))))) out.push({ q: `&from=${y}-01-01&to=${y}-12-31`, from: `${y}-01-01`, to: `${y}-12-31` });
  for (const q of new Set(months.map((m) => `${m.slice(0, 4)}-${Math.floor((Number(m.slice(5)) - 1) / 3)}`))) {
    const [y, k] = q.split('-').map(Number);
    const from = `${y}-${String(3 * k + 1).padStart(2, '0')}-01`;
    out.push({ q: `&from=${from}&to=${last(y, 3 * k + 3)}`, from, to: last(y, 3 * k + 3) });
  }
  for (const m of months) {
    const [y, mm] = m.split('-').map(Number);
    out.push({ q: `&from=${m}-01&to=${last(y, mm)}`, from: `${m}-01`, to: last(y, mm) });
  }
  return out;
}
