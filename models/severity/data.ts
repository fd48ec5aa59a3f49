/**
 * Normalisation of claim-severity input for the fitters: amounts, open-claim flags, left
 * truncation (deductible) and right censoring (policy limit).
 */

/** One claim: `amount` is the ultimate estimate used for fitting (paid + case reserve for open claims). */
export interface SeverityClaim {
  amount: number;
  /** True when the claim is still open (amount includes a case reserve). */
  open?: boolean;
  /** True when the amount is right-censored (the loss reached the policy limit). */
  censored?: boolean;
}

/** Amounts as numbers / typed array, or claim objects. */
export type SeverityInput = ArrayLike<number> | readonly SeverityClaim[];

export interface SeverityFitOptions {
  /**
   * Left-truncation point d (deductible): only losses above d are observed, so each observation
   * contributes f(x)/S(d). Every amount must be > d. Default: none.
   */
  truncation?: number;
  /**
   * Right-censoring flags aligned with the data: a flagged amount is the policy limit reached by
   * a larger loss and contributes log S(x) instead of log f(x).
   */
  censored?: readonly boolean[] | Uint8Array;
  /**
   * Open-claim flags aligned with the data (alternative to `{ amount, open }` items). Open claims
   * are fitted at the amount given (paid + case reserve, docs/actuarial-method.md §3); the fit only
   * reports how many there were (`openCount`, `includesOpenClaims`).
   */
  open?: readonly boolean[] | Uint8Array;
}

export interface PreparedSeverityData {
  /** Amounts, in input order. */
  x: Float64Array;
  /** 1 where right-censored. */
  censored: Uint8Array;
  nCensored: number;
  openCount: number;
  /** Left-truncation point (0 when none). */
  truncation: number;
  /** Upper truncation point (Infinity when none); used for a spliced body truncated at its threshold. */
  upperTruncation: number;
}

function isClaimArray(data: SeverityInput): data is readonly SeverityClaim[] {
  return data.length > 0 && typeof (data as ArrayLike<unknown>)[0] === 'object' && (data as ArrayLike<unknown>)[0] !== null;
}

/**
 * Validates and normalises severity input.
 * @throws RangeError on empty data, a non-finite or non-positive amount, an amount at or below the
 * truncation point, flags whose length differs from the data, or an invalid truncation point.
 */
export function prepareSeverityData(data: SeverityInput, options: SeverityFitOptions & { upperTruncation?: number } = {}): PreparedSeverityData {
  const n = data.length;
  if (!n) throw new RangeError('severity data is empty');
  const x = new Float64Array(n);
  const censored = new Uint8Array(n);
  let openCount = 0;
  const claims = isClaimArray(data);
  for (let i = 0; i < n; i++) {
    const item = (data as ArrayLike<number | SeverityClaim>)[i];
    const v = claims ? (item as SeverityClaim).amount : (item as number);
    if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) {
      throw new RangeError(`severity amount at index ${i} must be a finite number > 0, got ${v}`);
    }
    x[i] = v;
    if (claims) {
      if ((item as SeverityClaim).open) openCount++;
      if ((item as SeverityClaim).censored) censored[i] = 1;
    }
  }
  if (options.open) {
    if (options.open.length !== n) throw new RangeError(`open flags length ${options.open.length} differs from data length ${n}`);
    if (claims) throw new RangeError('give open flags either in the claim objects or in options.open, not both');
    for (let i = 0; i < n; i++) if (options.open[i]) openCount++;
  }
  if (options.censored) {
    if (options.censored.length !== n) throw new RangeError(`censored flags length ${options.censored.length} differs from data length ${n}`);
    for (let i = 0; i < n; i++) if (options.censored[i]) censored[i] = 1;
  }
  const truncation = options.truncation ?? 0;
  if (!Number.isFinite(truncation) || truncation < 0) throw new RangeError(`truncation must be a finite number >= 0, got ${truncation}`);
  const upperTruncation = options.upperTruncation ?? Infinity;
  if (!(upperTruncation > truncation)) throw new RangeError(`upper truncation ${upperTruncation} must exceed the truncation ${truncation}`);
  let nCensored = 0;
  for (let i = 0; i < n; i++) {
    if (truncation > 0 && !(x[i] > truncation)) {
      throw new RangeError(`amount ${x[i]} at index ${i} is not above the truncation point ${truncation}`);
    }
    if (x[i] > upperTruncation) throw new RangeError(`amount ${x[i]} at index ${i} exceeds the upper truncation point ${upperTruncation}`);
    nCensored += censored[i];
  }
  return { x, censored, nCensored, openCount, truncation, upperTruncation };
}
