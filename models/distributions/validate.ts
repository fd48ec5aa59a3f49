/**
 * Parameter and argument checks shared by the severity distributions.
 * Every check throws a `RangeError` naming the distribution and the offending value.
 */

/** Throws RangeError unless `value` is a finite number > 0. */
export function requirePositive(dist: string, name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !(value > 0)) {
    throw new RangeError(`${dist}: ${name} must be a finite number > 0, got ${value}`);
  }
  return value;
}

/** Throws RangeError unless `value` is a finite number. */
export function requireFinite(dist: string, name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${dist}: ${name} must be a finite number, got ${value}`);
  }
  return value;
}

/** Throws RangeError unless `value` is a finite number >= 0. */
export function requireNonNegative(dist: string, name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${dist}: ${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

/** Throws RangeError unless `p` is a probability in [0, 1]. */
export function requireProbability(dist: string, p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new RangeError(`${dist}: quantile probability must be in [0, 1], got ${p}`);
  }
  return p;
}

/** Throws RangeError unless `u` is a limit >= 0 (Infinity allowed) for a limited expected value. */
export function requireLimit(dist: string, u: number): number {
  if (typeof u !== 'number' || Number.isNaN(u) || u < 0) {
    throw new RangeError(`${dist}: limit u of E[X∧u] must be >= 0, got ${u}`);
  }
  return u;
}
