/**
 * Hand-written SVG charts (no chart library: two chart types, a few hundred bytes each, and
 * text that stays accessible). Every chart has a title, a text summary for screen readers, and
 * marks withheld (protected) values instead of leaving a gap.
 */
import { useEffect, useState } from 'preact/hooks';
import { sig } from '../format';

/**
 * Whether the window is phone-narrow: the charts then draw in a narrow viewBox (labels above the
 * bars, fewer ticks) so their text keeps its size instead of shrinking with a wide drawing.
 */
export function useNarrow(query = '(max-width: 600px)'): boolean {
  const [narrow, setNarrow] = useState(() => typeof matchMedia === 'function' && matchMedia(query).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const m = matchMedia(query);
    const on = () => setNarrow(m.matches);
    on();
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, [query]);
  return narrow;
}

export interface CiRow { label: string; value: number | null; low: number | null; high: number | null; note?: string | null }

const niceMax = (v: number) => {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v) ?? 10 * p;
};
const ticks = (max: number, n = 4) => Array.from({ length: n + 1 }, (_, i) => (max * i) / n);

/** Horizontal bars with 95% interval whiskers; a protected row shows a hatched band and why. */
export function CiBars({ title, rows, unit, log = false, reference, withheld = true }: { title: string; rows: CiRow[]; unit: string; log?: boolean; reference?: number; withheld?: boolean }) {
  const narrow = useNarrow();
  // narrow: each label on its own line above its bar, the bars over the whole width
  const labelW = narrow ? 12 : 230, w = narrow ? 360 : 640, rowH = narrow ? 46 : 28, barTop = narrow ? 18 : 0, top = 8;
  const plotW = w - labelW - (narrow ? 22 : 20), h = top + rows.length * rowH + 28;
  const values = rows.flatMap((r) => [r.value, r.high].filter((v): v is number => v !== null && Number.isFinite(v)));
  let x: (v: number) => number;
  let tickVals: number[];
  if (log) {
    const pos = rows.flatMap((r) => [r.low, r.value, r.high]).filter((v): v is number => v !== null && v > 0);
    const lo = Math.min(...pos, reference ?? Infinity, 1), hi = Math.max(...pos, reference ?? 0, 1);
    const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi)) || a + 1;
    x = (v) => labelW + ((Math.log10(Math.max(v, 10 ** a)) - a) / (b - a)) * plotW;
    tickVals = Array.from({ length: b - a + 1 }, (_, i) => 10 ** (a + i));
  } else {
    const max = niceMax(Math.max(...values, reference ?? 0));
    x = (v) => labelW + (v / max) * plotW;
    tickVals = ticks(max);
  }
  const base = log ? x(reference ?? 1) : labelW;
  const summary = rows.map((r) => (r.value === null ? `${r.label}: withheld${r.note ? ` (${r.note})` : ''}` : `${r.label}: ${sig(r.value)}${r.low !== null && r.high !== null ? ` (95% CI ${sig(r.low)}–${sig(r.high)})` : ''}`)).join('; ');
  return (
    <figure class="chart-figure" tabIndex={0}>
      <svg class={`chart${narrow ? ' narrow' : ''}`} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${title}. ${summary}`}>
        {(narrow && tickVals.length > 4 && !log ? tickVals.filter((_, i) => i % 2 === 0) : tickVals).map((t) => (
          <g key={t}>
            <line class="grid" x1={x(t)} x2={x(t)} y1={top} y2={h - 22} />
            <text x={x(t)} y={h - 8} text-anchor="middle">{sig(t)}</text>
          </g>
        ))}
        {reference !== undefined ? <line x1={x(reference)} x2={x(reference)} y1={top} y2={h - 22} stroke="#56606b" stroke-dasharray="4 3" /> : null}
        {rows.map((r, i) => {
          const y = top + i * rowH;
          const by = y + barTop, bh = rowH - barTop; // the bar's band
          return (
            <g key={r.label}>
              {narrow
                ? <text x={labelW} y={y + 14} class="bar-label">{r.label.length > 44 ? `${r.label.slice(0, 43)}…` : r.label}</text>
                : <text x={labelW - 8} y={y + rowH / 2 + 4} text-anchor="end">{r.label.length > 30 ? `${r.label.slice(0, 29)}…` : r.label}</text>}
              {r.value === null ? (
                <>
                  <rect x={labelW} y={by + 5} width={plotW} height={bh - 10} fill="url(#hatch)" />
                  <text x={labelW + 8} y={by + bh / 2 + 4} fill="#6b4fa0">protected{r.note ? `: ${r.note}` : ''}</text>
                </>
              ) : (
                <>
                  <rect x={Math.min(base, x(r.value))} y={by + 6} width={Math.max(1, Math.abs(x(r.value) - base))} height={bh - 12} fill="#5b8db8" />
                  {r.low !== null && r.high !== null ? (
                    <g stroke="#1b2430" stroke-width="1.5">
                      <line x1={x(r.low)} x2={x(r.high)} y1={by + bh / 2} y2={by + bh / 2} />
                      <line x1={x(r.low)} x2={x(r.low)} y1={by + 7} y2={by + bh - 7} />
                      <line x1={x(r.high)} x2={x(r.high)} y1={by + 7} y2={by + bh - 7} />
                    </g>
                  ) : null}
                </>
              )}
            </g>
          );
        })}
        <defs>
          <pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="8" height="8" fill="#f1ecf8" /><line x1="0" y1="0" x2="0" y2="8" stroke="#c9b8e6" stroke-width="4" />
          </pattern>
        </defs>
      </svg>
      <figcaption class="legend">
        <span><span class="swatch" style="background:#5b8db8" />{unit}</span>
        <span>┝━┥ 95% confidence interval</span>
        {withheld ? <span><span class="swatch protected-cell" />protected (withheld) cell</span> : null}
      </figcaption>
    </figure>
  );
}

export interface TrendPoint { label: string; value: number | null; low: number | null; high: number | null }

/** A monthly line with its 95% band; withheld months break the line and are marked. */
export function TrendChart({ title, points, unit }: { title: string; points: TrendPoint[]; unit: string }) {
  const narrow = useNarrow();
  const w = narrow ? 360 : 560, h = narrow ? 240 : 260, l = 52, r = 12, t = 10, b = 36;
  const max = niceMax(Math.max(...points.flatMap((p) => [p.high, p.value]).filter((v): v is number => v !== null), 0));
  const x = (i: number) => l + (points.length <= 1 ? 0 : (i / (points.length - 1)) * (w - l - r));
  const y = (v: number) => t + (1 - v / max) * (h - t - b);
  const segments: string[] = [];
  let cur = '';
  points.forEach((p, i) => {
    if (p.value === null) { if (cur) segments.push(cur); cur = ''; return; }
    cur += `${cur ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
  });
  if (cur) segments.push(cur);
  const band = points.every((p) => p.low !== null && p.high !== null) && points.length > 1
    ? `M${points.map((p, i) => `${x(i).toFixed(1)},${y(p.high as number).toFixed(1)}`).join('L')}L${points.map((p, i) => `${x(i).toFixed(1)},${y(p.low as number).toFixed(1)}`).reverse().join('L')}Z`
    : null;
  const every = Math.max(1, Math.ceil(points.length / (narrow ? 4 : 8)));
  const known = points.filter((p) => p.value !== null);
  const summary = known.length ? `${known.length} months from ${known[0].label} to ${known[known.length - 1].label}; lowest ${sig(Math.min(...known.map((p) => p.value as number)))}, highest ${sig(Math.max(...known.map((p) => p.value as number)))}` : 'no published months';
  return (
    <figure class="chart-figure" tabIndex={0}>
      <svg class={`chart${narrow ? ' narrow' : ''}`} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${title}. ${summary}`}>
        {ticks(max).map((v) => (
          <g key={v}>
            <line class="grid" x1={l} x2={w - r} y1={y(v)} y2={y(v)} />
            <text x={l - 6} y={y(v) + 4} text-anchor="end">{sig(v)}</text>
          </g>
        ))}
        {band ? <path d={band} fill="#5b8db8" opacity="0.22" /> : null}
        {segments.map((d) => <path key={d} d={d} fill="none" stroke="#1f4e79" stroke-width="2" />)}
        {points.map((p, i) => (p.value === null
          ? <text key={p.label} x={x(i)} y={h - b - 4} text-anchor="middle" fill="#6b4fa0">×</text>
          : <circle key={p.label} cx={x(i)} cy={y(p.value)} r="2.5" fill="#1f4e79" />))}
        {points.map((p, i) => (i % every === 0 ? <text key={`l${p.label}`} x={x(i)} y={h - 14} text-anchor="middle">{p.label}</text> : null))}
        <line class="axis" x1={l} x2={w - r} y1={h - b} y2={h - b} />
      </svg>
      <figcaption class="legend">
        <span><span class="swatch" style="background:#1f4e79" />{unit}</span>
        <span><span class="swatch" style="background:#5b8db8;opacity:.35" />95% confidence band</span>
        <span><span class="protected">×</span> protected month</span>
      </figcaption>
    </figure>
  );
}
