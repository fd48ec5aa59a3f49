/** Reading PDFs in tests with poppler-utils (pdftotext, pdftoppm; installed by .ci/run). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function withFile<T>(pdf: Buffer, fn: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'roborisk-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return fn(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Text of a PDF via `pdftotext` (extra flags such as `-layout` may be given). */
export function pdfText(pdf: Buffer, flags: string[] = []): string {
  return withFile(pdf, (file) => execFileSync('pdftotext', [...flags, file, '-'], { encoding: 'utf8' }));
}

/**
 * Dark pixels (< 160 of 255) per page in the content area (the bottom 25 px footer band
 * excluded), pages rendered with `pdftoppm -gray -r 30`. A page with none is blank.
 */
export function darkPixelsPerPage(pdf: Buffer): number[] {
  return withFile(pdf, (file, dir) => {
    execFileSync('pdftoppm', ['-gray', '-r', '30', file, path.join(dir, 'p')]);
    return readdirSync(dir).filter((f) => f.endsWith('.pgm')).sort().map((f) => {
      const b = readFileSync(path.join(dir, f));
      const header = b.subarray(0, 40).toString('latin1').split(/\s+/);
      const [w, h] = [Number(header[1]), Number(header[2])];
      const data = b.subarray(b.length - w * h);
      let n = 0;
      for (let i = 0; i < w * (h - 25); i++) if (data[i] < 160) n++;
      return n;
    });
  });
}

/**
 * Words (pdftotext -bbox) that overlap another word or leave the page, per page: the layout
 * check of tests/unit/reports-quote.test.ts, shared for other documents.
 */
export function layoutProblems(pdf: Buffer): { pages: number; problems: string[] } {
  const html = withFile(pdf, (file) => execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g;
  const wordRe = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  const problems: string[] = [];
  let pages = 0;
  for (const pm of html.matchAll(pageRe)) {
    pages++;
    const [W, H] = [Number(pm[1]), Number(pm[2])];
    const words = [...pm[3].matchAll(wordRe)].map((m) => ({ x0: +m[1], y0: +m[2], x1: +m[3], y1: +m[4], w: m[5] }));
    for (const w of words) if (w.x0 < 0 || w.y0 < 0 || w.x1 > W || w.y1 > H) problems.push(`page ${pages}: "${w.w}" off the page`);
    words.sort((a, b) => a.y0 - b.y0);
    for (let i = 0; i < words.length; i++) {
      for (let j = i + 1; j < words.length && words[j].y0 < words[i].y1; j++) {
        const [a, b] = [words[i], words[j]];
        const ox = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
        const oy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
        if (ox > 0.5 && oy > 2) problems.push(`page ${pages}: "${a.w}" overlaps "${b.w}"`);
      }
    }
  }
  return { pages, problems };
}
