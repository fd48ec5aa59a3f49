/**
 * The signed-in key lives in sessionStorage: this tab only, gone when it closes, never in a URL
 * or a cookie. `me` is what GET /v1/me says about it.
 */
import type { components } from './api/schema';

export type Me = components['schemas']['Me'];
const STORAGE = 'roborisk.apiKey';

let key: string | null = (() => {
  try { return sessionStorage.getItem(STORAGE); } catch { return null; }
})();

export const currentKey = () => key;

export function rememberKey(k: string | null): void {
  key = k;
  try {
    if (k) sessionStorage.setItem(STORAGE, k);
    else sessionStorage.removeItem(STORAGE);
  } catch { /* storage disabled: the key lives in memory only */ }
}
