/** Display formats (Intl, Chinese yuan and Chinese names in a product read in English). */
const cny = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'CNY', currencyDisplay: 'symbol' });
const cny0 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'CNY', maximumFractionDigits: 0 });
const num = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const num4 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const pct = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const dt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' });
const d = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

const dash = '—';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const asNum = (v: unknown): number | null => (isNum(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

/** ¥1,234.56 (CN¥ in some locales): amounts in yuan, as the API gives them. */
export const money = (v: unknown) => { const n = asNum(v); return n === null ? dash : cny.format(n); };
export const money0 = (v: unknown) => { const n = asNum(v); return n === null ? dash : cny0.format(n); };
export const number = (v: unknown) => { const n = asNum(v); return n === null ? dash : num.format(n); };
export const sig = (v: unknown) => { const n = asNum(v); return n === null ? dash : num4.format(n); };
export const percent = (v: unknown) => { const n = asNum(v); return n === null ? dash : pct.format(n); };
/** Date and time in China Standard Time (the market the product serves). */
export const dateTime = (v: unknown) => (v ? dt.format(new Date(String(v))) + ' CST' : dash);
export const date = (v: unknown) => (v ? d.format(new Date(String(v))) : dash);

/** `warehousing_logistics.picking` → `Warehousing logistics · picking` (codes of the catalog). */
export const humanize = (code: string | null | undefined) => {
  if (!code) return dash;
  const [a, b] = code.split('.');
  const h = (s: string) => s.replace(/_/g, ' ');
  const first = h(a).charAt(0).toUpperCase() + h(a).slice(1);
  return b ? `${first} · ${h(b)}` : first;
};
