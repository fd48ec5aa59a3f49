import { pino, type DestinationStream, type Logger } from 'pino';

/** Paths never written to the log: API keys and cookies in headers, keys in bodies. */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["idempotency-key"]', 'res.headers["set-cookie"]', '*.key', '*.password'];

/** The service logger (pino, JSON lines) with secrets redacted. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
