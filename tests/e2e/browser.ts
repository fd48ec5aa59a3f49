/**
 * Headless Chromium from Debian's `chromium` package, driven by playwright-core (never a
 * downloaded browser): a fresh profile per launch, no network beyond the server under test.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = () => existsSync(CHROMIUM);

export interface Launched { browser: BrowserContext; close(): Promise<void> }

/** A persistent context on a throwaway --user-data-dir (what the brief of the project asks for). */
export async function launch(): Promise<Launched> {
  const profile = mkdtempSync(path.join(tmpdir(), 'roborisk-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export type { Browser, Page };
