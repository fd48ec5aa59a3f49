/**
 * The console's API client: openapi-fetch typed by the generated `paths` (schema.d.ts), so a
 * call the API does not declare, or a field it does not return, fails the type check.
 * The key is added per request from the session (never put in a URL).
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
import { currentKey } from '../session';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

// arrays as the API reads them: `group_by=a,b` (style form, explode false)
export const api = createClient<paths>({ baseUrl: '', querySerializer: { array: { style: 'form', explode: false } } });
api.use({
  onRequest({ request }) {
    const key = currentKey();
    if (key) request.headers.set('Authorization', `Bearer ${key}`);
    return request;
  },
});

/** A failed call: the problem document when the API sent one, else a synthetic one. */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.problem = problem;
  }
  /** The message of a field (`body.lines.0.fleet_size` or `lines.0.fleet_size`), if the API named it. */
  fieldMessage(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === field || e.field === `body.${field}`)?.message;
  }
}

function problemOf(error: unknown, response: Response): Problem {
  if (error && typeof error === 'object' && 'status' in error && 'title' in error) return error as Problem;
  return {
    type: 'about:blank', title: response.statusText || 'Request failed', status: response.status,
    detail: typeof error === 'string' && error ? error.slice(0, 300) : `the server answered ${response.status}`,
    code: 'HTTP_ERROR', instance: new URL(response.url, location.href).pathname, request_id: response.headers.get('x-request-id') ?? '',
  } as Problem;
}

/**
 * The JSON data of an openapi-fetch result, or throws ApiError with the problem document. (Routes
 * that also offer CSV type their data as `T | string`; the client always asks for JSON.)
 */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Exclude<T, string>> {
  let r;
  try {
    r = await call;
  } catch (e) {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, detail: `the server could not be reached (${(e as Error).message})`, code: 'NETWORK', instance: '', request_id: '' } as Problem);
  }
  if (r.error !== undefined || !r.response.ok) throw new ApiError(problemOf(r.error, r.response));
  return r.data as Exclude<T, string>;
}

/**
 * Downloads a document the API renders (PDF, CSV) with the key in the header, then saves it
 * under the file name the API gives (Content-Disposition).
 */
export async function download(path: string, accept: string, fallbackName: string): Promise<string> {
  const key = currentKey();
  let res: Response;
  try {
    res = await fetch(path, { headers: { Accept: accept, ...(key ? { Authorization: `Bearer ${key}` } : {}) } });
  } catch (e) {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, detail: (e as Error).message, code: 'NETWORK', instance: path, request_id: '' } as Problem);
  }
  if (!res.ok) {
    const text = await res.text();
    let body: unknown = text;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    throw new ApiError(problemOf(body, res));
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
