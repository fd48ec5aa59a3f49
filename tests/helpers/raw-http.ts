/**
 * A request sent byte for byte as given: the path is not normalised or re-encoded (so `%ZZ`,
 * `%00` and `0x10` reach the server as written) and the body is any buffer, with any headers.
 * supertest would encode some of these on the way.
 */
import http from 'node:http';

export interface RawResponse { status: number; headers: http.IncomingHttpHeaders; text: string; json: unknown }

/** One HTTP/1.1 request on a fresh connection. `body` may be a string (UTF-8) or raw bytes. */
export function rawRequest(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<RawResponse> {
  const u = new URL(baseUrl);
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  // framed by Content-Length whatever the method (Node sends a GET's body unframed otherwise)
  const framed = bytes === undefined ? headers : { 'Content-Length': String(bytes.length), ...headers };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers: framed, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

/** The problem+json contract of every error answer: media type, numeric status equal to the HTTP one, a code. */
export function problemViolation(r: RawResponse): string | null {
  if (r.status < 400) return null;
  if (!/^application\/problem\+json/.test(String(r.headers['content-type']))) return `content-type ${r.headers['content-type']}`;
  const p = r.json as { status?: unknown; code?: unknown } | undefined;
  if (!p || typeof p !== 'object') return 'body is not JSON';
  if (typeof p.status !== 'number' || p.status !== r.status) return `status ${JSON.stringify(p.status)} ≠ ${r.status}`;
  if (typeof p.code !== 'string') return 'no code';
  return null;
}
