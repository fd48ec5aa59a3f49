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
