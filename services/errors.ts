/**
 * The one error factory of the service. Every expected failure is an AppError with a stable
 * UPPER_SNAKE code and an HTTP status; the error middleware renders it as RFC 9457
 * application/problem+json. Anything else is a server fault (generic 500, logged).
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'IMPORT_REJECTED'
  | 'MALFORMED_JSON'
  | 'MALFORMED_CSV'
  | 'MALFORMED_REQUEST'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHENTICATED'
  | 'CREDENTIALS_IN_URL'
  | 'RATE_LIMITED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'ALREADY_EXISTS'
  | 'UNKNOWN_REFERENCE'
  | 'SERVICE_UNAVAILABLE'
  | 'DATABASE_UNAVAILABLE'
  | 'DATABASE_TIMEOUT'
  | 'INTERNAL_ERROR';

export interface FieldError {
  /** 1-based line of the input file (CSV: physical line, header is line 1; JSON/NDJSON: record number). */
  line?: number;
  field: string;
  message: string;
}

const TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Request validation failed',
  IMPORT_REJECTED: 'Import rejected: some rows are invalid, nothing was written',
  MALFORMED_JSON: 'Malformed JSON body',
  MALFORMED_CSV: 'Malformed CSV body',
  MALFORMED_REQUEST: 'Malformed request',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  UNAUTHENTICATED: 'Authentication required',
  CREDENTIALS_IN_URL: 'Credentials in the URL',
  RATE_LIMITED: 'Too many requests',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Resource not found',
  ROUTE_NOT_FOUND: 'No such route',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  CONFLICT: 'Conflict with the current state',
  ALREADY_EXISTS: 'Resource already exists',
  UNKNOWN_REFERENCE: 'Unknown reference',
  SERVICE_UNAVAILABLE: 'Service unavailable',
  DATABASE_UNAVAILABLE: 'Database unavailable',
  DATABASE_TIMEOUT: 'Database time limit exceeded',
  INTERNAL_ERROR: 'Internal server error',
};

export const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 422,
  IMPORT_REJECTED: 422,
  MALFORMED_JSON: 400,
  MALFORMED_CSV: 400,
  MALFORMED_REQUEST: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  CREDENTIALS_IN_URL: 400,
  RATE_LIMITED: 429,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  UNKNOWN_REFERENCE: 422,
  SERVICE_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  DATABASE_TIMEOUT: 503,
  INTERNAL_ERROR: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly errors?: FieldError[];
  readonly extra?: Record<string, unknown>;
  constructor(code: ErrorCode, detail: string, opts: { errors?: FieldError[]; extra?: Record<string, unknown> } = {}) {
    super(detail);
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.title = TITLES[code];
    this.errors = opts.errors;
    this.extra = opts.extra;
  }
}

export const appError = (code: ErrorCode, detail: string, opts?: { errors?: FieldError[]; extra?: Record<string, unknown> }) =>
  new AppError(code, detail, opts);

export const notFound = (what: string, ref: string) => new AppError('NOT_FOUND', `${what} '${ref}' not found`);
