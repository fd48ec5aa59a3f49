/**
 * Which database errors are faults of the database rather than of the request
 * (docs/architecture.md §10): the service answers them 503 with `Retry-After`, never 500.
 *
 * * `unavailable` — the database cannot be reached or stopped answering: connection refused,
 *   reset or timed out, the server shutting down or starting (57P01–57P03), any connection
 *   exception (SQLSTATE class 08), too many connections (53300), the client giving up on a
 *   server that does not answer (node-postgres "Query read timeout"), no pooled connection free
 *   within the acquire timeout (knex's KnexTimeoutError), a closed pool or PGlite.
 * * `timeout` — the server cancelled a statement at its time limit (57014 statement timeout,
 *   55P03 lock timeout, 25P03 idle-in-transaction timeout).
 *
 * Anything else (constraint violations, syntax errors, bugs) is not a fault of the database.
 */
export type DbFault = 'unavailable' | 'timeout';

const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '53000', '53100', '53200']);
const TIMEOUT_SQLSTATES = new Set(['57014', '55P03', '25P03']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH',
  'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN',
]);
// node-postgres, knex and PGlite say these in words only
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i, // unexpectedly, or due to connection timeout
  /timeout expired/i, // connect timeout
  /Query read timeout/i,
  /is not queryable/i, // client closed or broken
  /Client was closed/i,
  /Unable to acquire a connection/i, // knex pool destroyed (shutting down)
  /Timeout acquiring a connection/i,
  /PGlite is closed/i,
];

export function classifyDbFault(err: unknown, depth = 0): DbFault | undefined {
  if (!err || typeof err !== 'object' || depth > 4) return undefined;
  const e = err as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (e.name === 'KnexTimeoutError') return 'unavailable';
  if (typeof e.code === 'string') {
    if (TIMEOUT_SQLSTATES.has(e.code)) return 'timeout';
    if (UNAVAILABLE_SQLSTATES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code) || NETWORK_CODES.has(e.code)) return 'unavailable';
  }
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(e.message as string))) return 'unavailable';
  // wrapped: the cause, or each attempt of a multi-address connect (AggregateError)
  for (const inner of [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const f = classifyDbFault(inner, depth + 1);
    if (f) return f;
  }
  return undefined;
}
