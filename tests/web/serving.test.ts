/** The console's files at `/` (index with no-cache, hashed assets cached a year, the CJK font), under the API's CSP. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import request from 'supertest';
import { consoleRouter } from '../../api/console.ts';

let dir: string;
let empty: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'roborisk-web-'));
  empty = mkdtempSync(path.join(tmpdir(), 'roborisk-web-empty-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/assets/app-abc123.js"></script>');
  writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); rmSync(empty, { recursive: true, force: true }); });

const appOn = (d: string) => express().use(consoleRouter(d));

describe('console files', () => {
  it('serves index.html at / (revalidated) and hashed assets for a year, without a key', async () => {
    const index = await request(appOn(dir)).get('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.text).toContain('/assets/app-abc123.js');
    const js = await request(appOn(dir)).get('/assets/app-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toContain('max-age=31536000');
    expect(js.headers['cache-control']).toContain('immutable');
  });

  it('serves the CJK fallback face as a font', async () => {
    const r = await request(appOn(dir)).get('/fonts/hans-regular.otf').buffer(true).parse((res, cb) => { const b: Buffer[] = []; res.on('data', (c: Buffer) => b.push(c)); res.on('end', () => cb(null, Buffer.concat(b))); });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('font/otf');
    expect((r.body as Buffer).subarray(0, 4).toString('latin1')).toBe('OTTO');
  });

  it('leads to the API docs when dist/web is missing (302 to /docs, a header says how to build it), never a 5xx', async () => {
    const r = await request(appOn(empty)).get('/');
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/docs');
    expect(r.headers['x-console']).toContain('npm run build');
  });
});
