import { Transform } from 'node:stream';
import { z } from 'zod';
import { importHistory, IMPORT_KINDS, type ImportFormat } from '../../services/imports.ts';
import { appError } from '../../services/errors.ts';
import type { AppDeps } from '../deps.ts';
import { defineRoute, type Route } from '../route.ts';
import { ImportResult } from '../schemas.ts';

const FORMATS: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
};

/** Passes bytes through and fails with PAYLOAD_TOO_LARGE once more than `limit` have passed. */
const byteLimit = (limit: number) => {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > limit) cb(appError('PAYLOAD_TOO_LARGE', `the import body exceeds ${limit} bytes`));
      else cb(null, chunk);
    },
  });
};

export const importRoutes = ({ db, config }: AppDeps): Route[] => [
  defineRoute({
    method: 'post', path: '/v1/imports/:kind', tag: 'Imports', roles: ['actuary'],
    summary: 'Import a validation-history file (deployments, exposures or incidents)',
    params: z.object({ kind: z.enum(IMPORT_KINDS) }),
    rawBody: {
      'text/csv': { description: 'CSV with a header row, UTF-8, comma separated; the data-contract columns (docs/architecture.md §5)' },
      'application/json': { description: 'A JSON array of records with the same field names' },
      'application/x-ndjson': { description: 'One JSON record per line' },
    },
    response: ImportResult, errors: [400, 413, 415],
    responseDescription: 'Imported: counts of inserted, updated (audited) and unchanged rows. Idempotent by *_ref.',
    handler: async ({ params, principal, req }) => {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const format = FORMATS[type];
      if (!format) throw appError('UNSUPPORTED_MEDIA_TYPE', `send text/csv, application/json or application/x-ndjson (got ${type || 'none'})`);
      // the body is streamed as sent: a compressed one would be parsed as garbage
      const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      if (encoding !== 'identity') throw appError('UNSUPPORTED_MEDIA_TYPE', `imports take an uncompressed body (got Content-Encoding ${encoding})`);
      const declared = Number(req.headers['content-length']);
      if (declared > config.IMPORT_BODY_LIMIT) throw appError('PAYLOAD_TOO_LARGE', `the import body exceeds ${config.IMPORT_BODY_LIMIT} bytes`);
      const limited = byteLimit(config.IMPORT_BODY_LIMIT);
      req.on('error', (e) => limited.destroy(e));
      req.pipe(limited);
      return importHistory(db, principal, params.kind, format, limited, config.IMPORT_MAX_ERRORS);
    },
  }),
];
