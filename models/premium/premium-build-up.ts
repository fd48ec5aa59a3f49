/**
 * Premium build-up per fleet line and coverage (docs/actuarial-method.md §8), a pure and
 * deterministic function: same inputs, same premium to the cent.
 * References: Klugman, Panjer & Willmot, "Loss Models" (limited expected values, aggregate
 * loss); Werner & Modlin, "Basic Ratemaking" (CAS, 2016), ch. 7 (expense and profit loadings:
 * premium = (pure premium + fixed) / (1 − variable expense − profit)); EIOPA / Swiss Solvency
 * Test cost-of-capital risk margin.
 */
import type { SeverityDistribution } from '../distributions/types.ts';
import { coverageAggregate } from './coverage-aggregate.ts';
import type { PolicyAggregateOptions, PolicyFrequency } from './policy-aggregate.ts';
import { allocateCents, toCents } from './rounding.ts';

export interface PremiumLineInput {
  /** Identifier of the fleet line (e.g. deployment ref). */
  readonly lineId: string;
  /** Coverage code (robot_damage, third_party_liability, business_interruption). */
  readonly coverage: string;
  /** Number of robots on the line. */
  readonly units: number;
  /** Expected operating hours per unit over the policy period. */
  readonly hoursPerUnit: number;
  /** Expected claims per operating hour for this line and coverage (frequency model). */
  readonly claimRatePerHour: number;
  /** Multiplicative credibility adjustment of the rate (default 1). */
  readonly credibilityAdjustment?: number;
  /** Ground-up loss severity. */
  readonly severity: SeverityDistribution;
  /** Per-occurrence deductible d ≥ 0. */
  readonly deductible: number;
  /** Per-occurrence limit u > 0 before the coinsurance share (Infinity for none). */
  readonly limit: number;
  /** Coinsurance share a ∈ (0, 1] (default 1): the insurer pays a · min((X − d)+, u) per loss. */
  readonly coinsurance?: number;
  /** Multipliers from the underwriting rules (`load` / `discount` events), default none. */
  readonly ruleLoadings?: readonly number[];
  /** Claim-count model of this line (its coverage's frequency model); default `PremiumInput.frequency`. */
  readonly frequency?: PolicyFrequency;
}

export interface PremiumLoadings {
  /** Variable expense ratio (share of pre-tax premium). */
  readonly expense: number;
  /** Commission ratio (share of pre-tax premium). */
  readonly commission: number;
  /** Profit margin (share of pre-tax premium). */
  readonly profit: number;
  /** Cost-of-capital rate applied to the capital TVaR99.5 − mean. */
  readonly costOfCapital: number;
  /** Premium tax rate, applied to the pre-tax premium. */
  readonly taxRate: number;
  /** Minimum gross premium of the policy (tax included), default 0. */
  readonly minimumPremium?: number;
}

export interface PremiumInput {
  readonly lines: readonly PremiumLineInput[];
  /** Default claim-count model of a line (Poisson, or NB2 with size θ), lines independent; a line may give its own. */
  readonly frequency: PolicyFrequency;
  /**
   * Policy aggregate limit L > 0 (optional): the policy pays at most L in total. With
   * `aggregateLimits` it caps the sum of the coverages' capped payments, Σ_c min(S_c, L_c).
   */
  readonly aggregateLimit?: number;
  /**
   * Aggregate limit per coverage code (optional), L_c > 0, Infinity for none: coverage c pays
   * at most L_c in total, min(S_c, L_c), S_c the aggregate payments of its lines. Applied first,
   * then `aggregateLimit` on the sum. Every code must be the coverage of some line.
   */
  readonly aggregateLimits?: Readonly<Record<string, number>>;
  readonly loadings: PremiumLoadings;
  /** Risk-measure level (default 0.995). */
  readonly riskLevel?: number;
  /** Lattice of the aggregate distribution. */
  readonly aggregateOptions?: PolicyAggregateOptions;
}

/** Money amounts of a line (in major units). */
export interface LineAmounts {
  /** Expected claims × expected payment per loss, before the aggregate limit. */
  readonly purePremiumBeforeAggregateLimit: number;
  /** Pure premium after the aggregate limit. */
  readonly purePremium: number;
  /** Allocated risk margin. */
  readonly riskMargin: number;
  /** pure + risk margin (the rule loadings are in the expected claims). */
  readonly technicalPremium: number;
  /** technical / (1 − expense − commission − profit), after the minimum premium. */
  readonly premiumBeforeTax: number;
  readonly tax: number;
  /** premiumBeforeTax + tax. */
  readonly grossPremium: number;
}

export interface PremiumLineBreakdown extends LineAmounts {
  readonly lineId: string;
  readonly coverage: string;
  /** units × hoursPerUnit. */
  readonly exposureHours: number;
  /** units × hoursPerUnit × rate × credibility adjustment. */
  readonly expectedClaims: number;
  /** expectedClaims × loadingFactor: the claims the aggregate and the pure premium are built on. */
  readonly loadedExpectedClaims: number;
  /** a (E[X∧(d + u)] − E[X∧d]), a the coinsurance share. */
  readonly expectedPaymentPerLoss: number;
  /** Π rule loadings (applied to the expected claims). */
  readonly loadingFactor: number;
  /**
   * purePremium / purePremiumBeforeAggregateLimit (unrounded): the coverage's factor
   * E[min(S_c, L_c)]/E[S_c] times the policy's factor (1 when no aggregate limit binds).
   */
  readonly aggregateLimitFactor: number;
  /** Share of the policy risk margin: its coverage's stand-alone share × its share of the coverage's pure premium. */
  readonly allocationShare: number;
  /** grossPremium (rounded) / exposureHours, not rounded further. */
  readonly ratePerOperatingHour: number;
  /** The same amounts before rounding to cents. */
  readonly unrounded: LineAmounts;
}

/** One coverage's aggregate S_c (lattice figures) and the effect of its aggregate limit L_c. */
export interface CoverageAggregateSummary {
  /** E[S_c] without its aggregate limit. */
  readonly mean: number;
  /** E[min(S_c, L_c)] (E[S_c] without a limit). */
  readonly limitedMean: number;
  /** L_c, or null when the coverage has none. */
  readonly aggregateLimit: number | null;
  /** True when P(S_c > L_c) > 0 on the lattice. */
  readonly binds: boolean;
  /** E[min(S_c, L_c)] / E[S_c], applied to the coverage's lines (exactly 1 when the limit does not bind). */
  readonly factor: number;
  /**
   * Point where the mass of S_c at and above L_c sits in the distribution of the policy's
   * payments (L_c, or the first lattice point above it — see `coverageCapsExact`); null when not binding.
   */
  readonly cappedAt: number | null;
  /** TVaR_level − mean of min(S_c, L_c) on its own: the key of the risk-margin allocation. */
  readonly standAloneRisk: number;
}

export interface AggregateSummary {
  readonly riskLevel: number;
  /** Mean of the policy aggregate payments S = Σ_c S_c without any aggregate limit (lattice). */
  readonly mean: number;
  readonly sd: number;
  /** The policy aggregate limit L (null without one). */
  readonly aggregateLimit: number | null;
  /** True when the policy limit binds: P(P > L) > 0 on the lattice, P = Σ_c min(S_c, L_c) (= S without coverage limits). */
  readonly aggregateLimitBinds: boolean;
  /**
   * Expected payments of the policy on the lattice, E[min(P, L)] with P = Σ_c min(S_c, L_c):
   * Σ_c E[min(S_c, L_c)] × aggregateLimitFactor (E[S] when no limit binds).
   */
  readonly limitedMean: number;
  /**
   * Factor of the policy limit, E[min(P, L)] / E[P], applied to every line on top of its
   * coverage's factor (1 when the policy limit does not bind or there is none).
   */
  readonly aggregateLimitFactor: number;
  /** Per coverage code (in the order the codes first appear among the lines). */
  readonly coverages: Readonly<Record<string, CoverageAggregateSummary>>;
  /**
   * True when every binding coverage limit L_c is applied at L_c exactly in the risk
   * distribution; false when some cap was raised to the next lattice point (conservative, < one step).
   */
  readonly coverageCapsExact: boolean;
  /** VaR and TVaR at riskLevel of the payments the policy makes (min(P, L) with a policy limit, else P). */
  readonly valueAtRisk: number;
  readonly tailValueAtRisk: number;
  /** Mean of the distribution the risk measures are taken on (min(P, L) with a policy limit, else P). */
  readonly riskMean: number;
  /** Lattice step and number of points. */
  readonly step: number;
  readonly gridPoints: number;
  readonly massLost: number;
}

export interface PremiumBreakdown {
  readonly lines: PremiumLineBreakdown[];
  readonly aggregate: AggregateSummary;
  /** cost_of_capital × (TVaR − mean), before allocation (unrounded). */
  readonly riskMarginTotal: number;
  /** Policy totals: sums of the rounded line amounts (exact to the cent). */
  readonly totals: LineAmounts & { readonly exposureHours: number; readonly expectedClaims: number };
  readonly minimumPremiumApplied: boolean;
  /** Total gross / total expected operating hours (pay-per-use rate), not rounded. */
  readonly ratePerOperatingHour: number;
}

function requireRate(name: string, v: number): void {
  if (!(Number.isFinite(v) && v >= 0 && v < 1)) throw new RangeError(`${name} must lie in [0, 1), got ${v}`);
}

/** Validates the loadings; returns expense + commission + profit and the minimum premium. */
function checkLoadings(loadings: PremiumLoadings): { variable: number; minimum: number } {
  requireRate('expense', loadings.expense);
  requireRate('commission', loadings.commission);
  requireRate('profit', loadings.profit);
  requireRate('taxRate', loadings.taxRate);
  if (!(Number.isFinite(loadings.costOfCapital) && loadings.costOfCapital >= 0)) throw new RangeError(`costOfCapital must be >= 0, got ${loadings.costOfCapital}`);
  const variable = loadings.expense + loadings.commission + loadings.profit;
  if (!(1 - variable > 1e-9)) throw new RangeError(`expense + commission + profit must be < 1, got ${variable}`);
  const minimum = loadings.minimumPremium ?? 0;
  if (!(Number.isFinite(minimum) && minimum >= 0)) throw new RangeError(`minimumPremium must be >= 0, got ${minimum}`);
  return { variable, minimum };
}

/**
 * Builds the premium of a policy with the following steps (all unrounded until the end):
 *
 * 1. per line: exposure hours H = units × hoursPerUnit; expected claims λ = H × rate × credibility;
 *    the rule loadings act on the line's hazard: loaded expected claims λ' = λ × Π rule loadings;
 *    expected payment per loss e = a (E[X∧(d + u)] − E[X∧d]), a the coinsurance share; pure premium before the aggregate
 *    limit P⁰ = λ' e (exact limited expected values, not the lattice).
 * 2. aggregates of the loaded risk (lines independent, each with its own count model — Poisson
 *    or NB(θ) —, payments per loss discretised unbiased on one lattice and compounded by FFT —
 *    see `coverageAggregate`; no Monte Carlo): S_c = payments of the lines of coverage c, S = Σ_c S_c.
 *    Coverage aggregate limits L_c (`aggregateLimits`): coverage c pays min(S_c, L_c); its lines'
 *    pure premiums are multiplied by factor_c = E[min(S_c, L_c)] / E[S_c] (on the lattice;
 *    exactly 1 when L_c is never reached), so coverage c's pure premium is E[min(S_c, L_c)] and
 *    its lines keep their shares within it. The policy pays P = Σ_c min(S_c, L_c), whose
 *    distribution is the FFT convolution of the coverages' capped distributions (P = S without
 *    coverage limits).
 *    Policy aggregate limit L (`aggregateLimit`), applied after the coverage limits: the policy
 *    pays min(P, L); every line is further multiplied by F = E[min(P, L)] / E[P] (1 when L is
 *    never reached). Risk measures are taken on min(P, L) (on P without a policy limit).
 *    Because the loadings scale λ before the aggregate, every payment is a pathwise
 *    non-decreasing function of units, hours, limits and aggregate limits and non-increasing in
 *    the deductible, and so are the pure premiums: a shared aggregate limit cannot re-share a
 *    coverage's capped pure premium towards more heavily loaded lines.
 * 3. risk margin of the policy RM = cost_of_capital × (TVaR_level − mean) of its payments, level
 *    99.5% by default; TVaR is the expected shortfall VaR + E[(X − VaR)+]/(1 − level) (Acerbi & Tasche), not
 *    actuar's CTE E[X | X > VaR], which jumps when an atom — a per-occurrence limit, a cap — crosses VaR). Allocation in proportion to stand-alone
 *    risk: each coverage's stand-alone margin SA_c = TVaR_level(min(S_c, L_c)) − E[min(S_c, L_c)]
 *    (TVaR of the coverage's own capped distribution), RM_c = RM × SA_c / Σ SA (equal shares when
 *    Σ SA = 0); RM is first bounded by cost_of_capital × Σ SA (diversification never adds risk:
 *    expected shortfall is subadditive; the bound guards round-off). So RM_c ≤ cost_of_capital × SA_c
 *    ≤ cost_of_capital × L_c. Within a coverage, RM_c goes to its lines in proportion to their
 *    pure premiums (equal shares when they are all 0).
 * 4. technical_i = P_i + RM_i (the loadings are already in the risk).
 * 5. premiumBeforeTax_i = technical_i / (1 − expense − commission − profit);
 *    tax_i = taxRate × premiumBeforeTax_i (tax is a rate on the pre-tax premium);
 *    gross_i = premiumBeforeTax_i + tax_i.
 * 6. minimum premium (policy level, tax included): if Σ gross < minimum, every line's
 *    pre-tax premium, tax and gross are scaled by minimum / Σ gross.
 * 7. rounding, once, at the end, to cents (half away from zero): each line amount is rounded;
 *    a line's tax is its rounded gross minus its rounded pre-tax premium (so the line adds up);
 *    when the minimum premium applies the rounded line grosses are allocated by largest
 *    remainder so that they add up to the minimum exactly. Policy totals are the sums of the
 *    rounded line amounts (so total = Σ lines exactly).
 * 8. pay-per-use rate = gross / expected operating hours (per line and for the policy), not rounded.
 *
 * @throws RangeError for invalid inputs: no lines, negative units / hours / rate / credibility,
 *   non-positive rule loadings, expense + commission + profit ≥ 1, rates outside [0, 1),
 *   negative minimum premium, an aggregate limit (policy or coverage) that is not > 0, a coverage
 *   limit for a code no line has, a level outside (0, 1).
 */
export function buildPremium(input: PremiumInput): PremiumBreakdown {
  const { lines, loadings } = input;
  if (lines.length === 0) throw new RangeError('a premium needs at least one line');
  checkLoadings(loadings);
  const level = input.riskLevel ?? 0.995;
  if (!(level > 0 && level < 1)) throw new RangeError(`riskLevel must lie in (0, 1), got ${level}`);
  const L = input.aggregateLimit;
  if (L !== undefined && !(L > 0)) throw new RangeError(`aggregateLimit must be > 0, got ${L}`);

  // 1. per-line expected claims and payment per loss
  const base = lines.map((l) => {
    for (const [k, v] of [['units', l.units], ['hoursPerUnit', l.hoursPerUnit], ['claimRatePerHour', l.claimRatePerHour]] as const) {
      if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`line ${l.lineId}: ${k} must be finite and >= 0, got ${v}`);
    }
    const cred = l.credibilityAdjustment ?? 1;
    if (!(Number.isFinite(cred) && cred >= 0)) throw new RangeError(`line ${l.lineId}: credibilityAdjustment must be >= 0, got ${cred}`);
    const loads = l.ruleLoadings ?? [];
    let loadingFactor = 1;
    for (const f of loads) {
      if (!(Number.isFinite(f) && f > 0)) throw new RangeError(`line ${l.lineId}: rule loadings must be > 0, got ${f}`);
      loadingFactor *= f;
    }
    if (!(Number.isFinite(l.deductible) && l.deductible >= 0)) throw new RangeError(`line ${l.lineId}: deductible must be >= 0`);
    if (!(l.limit > 0)) throw new RangeError(`line ${l.lineId}: limit must be > 0`);
    const exposureHours = l.units * l.hoursPerUnit;
    const expectedClaims = exposureHours * l.claimRatePerHour * cred;
    const loadedExpectedClaims = expectedClaims * loadingFactor;
    const share = l.coinsurance ?? 1;
    if (!(share > 0 && share <= 1)) throw new RangeError(`line ${l.lineId}: coinsurance must lie in (0, 1], got ${share}`);
    const levD = l.deductible > 0 ? l.severity.lev(l.deductible) : 0;
    const expectedPaymentPerLoss = share * Math.max(0, l.severity.lev(l.deductible + l.limit) - levD);
    return { l, exposureHours, expectedClaims, loadedExpectedClaims, expectedPaymentPerLoss, loadingFactor, pure0: loadedExpectedClaims * expectedPaymentPerLoss };
  });

  // 2. aggregates: coverage limits first, then the policy limit on the sum
  const agg = coverageAggregate(
    base.map((b) => ({ coverage: b.l.coverage, expectedClaims: b.loadedExpectedClaims, severity: b.l.severity, deductible: b.l.deductible, limit: b.l.limit, coinsurance: b.l.coinsurance, frequency: b.l.frequency })),
    input.frequency,
    input.aggregateLimits,
    input.aggregateOptions,
  );
  const S = agg.uncapped;
  const P = agg.payments;
  const coverageCapped = Object.values(agg.coverages).some((c) => c.binds);
  const binds = L !== undefined && P.grid[P.grid.length - 1] > L && P.stopLoss(L) > 0;
  const factor = binds && P.mean > 0 ? P.limitedMean(L as number) / P.mean : 1;
  let limitedMean: number;
  if (!coverageCapped) limitedMean = binds ? P.limitedMean(L as number) : S.mean;
  else limitedMean = Object.values(agg.coverages).reduce((s, c) => s + c.limitedMean, 0) * factor;
  const riskDist = binds ? P.capped(L as number) : P;
  const valueAtRisk = riskDist.VaR(level);
  const tailValueAtRisk = riskDist.expectedShortfall(level);
  const standAlone = Object.fromEntries(Object.entries(agg.coverages).map(([code, c]) => {
    const d = c.binds ? c.distribution.capped(c.aggregateLimit as number) : c.distribution;
    return [code, Math.max(0, d.expectedShortfall(level) - d.mean)];
  }));
  const lineFactors = base.map((b) => agg.coverages[b.l.coverage].factor * factor);
  const loaded = loadPremium({
    lines: base.map((b, i) => ({
      lineId: b.l.lineId, coverage: b.l.coverage, exposureHours: b.exposureHours, expectedClaims: b.expectedClaims,
      loadedExpectedClaims: b.loadedExpectedClaims, expectedPaymentPerLoss: b.expectedPaymentPerLoss, loadingFactor: b.loadingFactor,
      aggregateLimitFactor: lineFactors[i],
    })),
    standAloneRisk: standAlone,
    riskCapital: Math.max(0, tailValueAtRisk - riskDist.mean),
  }, loadings);
  const { totals, minimumPremiumApplied, riskMarginTotal, ratePerOperatingHour } = loaded;
  return {
    lines: loaded.lines,
    aggregate: {
      riskLevel: level,
      mean: S.mean,
      sd: S.sd,
      aggregateLimit: L ?? null,
      aggregateLimitBinds: binds,
      limitedMean,
      aggregateLimitFactor: factor,
      coverages: Object.fromEntries(
        Object.entries(agg.coverages).map(([code, c]) => [
          code,
          { mean: c.mean, limitedMean: c.limitedMean, aggregateLimit: c.aggregateLimit, binds: c.binds, factor: c.factor, cappedAt: c.cappedAt, standAloneRisk: standAlone[code] },
        ]),
      ),
      coverageCapsExact: agg.capsExact,
      valueAtRisk,
      tailValueAtRisk,
      riskMean: riskDist.mean,
      step: agg.step,
      gridPoints: agg.gridPoints,
      massLost: S.massLost,
    },
    riskMarginTotal,
    totals,
    minimumPremiumApplied,
    ratePerOperatingHour,
  };
}

/** One line of a policy whose aggregate is already known: what the loadings act on. */
export interface PremiumBasisLine {
  readonly lineId: string;
  readonly coverage: string;
  readonly exposureHours: number;
  readonly expectedClaims: number;
  readonly loadedExpectedClaims: number;
  readonly expectedPaymentPerLoss: number;
  readonly loadingFactor: number;
  /** Coverage factor × policy aggregate-limit factor (1 when no aggregate limit binds). */
  readonly aggregateLimitFactor: number;
}

/**
 * What the premium of a policy depends on once its aggregate distribution is known (steps 1–2
 * of {@link buildPremium}); the loadings, cost of capital, tax and minimum premium act on it
 * by arithmetic only. A stored quote keeps all of it (worksheet `aggregate`, result lines), so a
 * candidate plan that changes only loadings re-rates a quote without its aggregate.
 */
export interface PremiumBasis {
  readonly lines: readonly PremiumBasisLine[];
  /** TVaR_level − mean of each coverage's capped aggregate, in the order the codes first appear among the lines. */
  readonly standAloneRisk: Readonly<Record<string, number>>;
  /** max(0, TVaR_level − mean) of the policy's payments. */
  readonly riskCapital: number;
}

export interface LoadedPremium {
  readonly lines: PremiumLineBreakdown[];
  readonly riskMarginTotal: number;
  readonly totals: PremiumBreakdown['totals'];
  readonly minimumPremiumApplied: boolean;
  readonly ratePerOperatingHour: number;
}

/**
 * Steps 3–8 of {@link buildPremium} on a known basis: risk margin
 * RM = cost_of_capital × min(riskCapital, Σ_c SA_c), allocated to coverages by SA_c / Σ SA and within a
 * coverage by pure premium P_i = λ'_i e_i × aggregateLimitFactor_i; technical, pre-tax
 * (÷ (1 − expense − commission − profit)), tax, minimum premium, rounding to cents.
 * `buildPremium` calls it, so a premium re-computed from a stored basis equals the
 * original to the cent (same floating-point operations in the same order).
 * @throws RangeError for invalid loadings (see {@link buildPremium}) or no lines.
 */
export function loadPremium(basis: PremiumBasis, loadings: PremiumLoadings): LoadedPremium {
  const { variable, minimum } = checkLoadings(loadings);
  const base = basis.lines;
  if (base.length === 0) throw new RangeError('a premium needs at least one line');
  const standAlone = basis.standAloneRisk;
  const standAloneTotal = Object.values(standAlone).reduce((s, x) => s + x, 0);
  const riskMarginTotal = loadings.costOfCapital * Math.min(basis.riskCapital, standAloneTotal);

  // 3.–4. allocation: to coverages by stand-alone risk, within a coverage by pure premium
  const pure0 = base.map((b) => b.loadedExpectedClaims * b.expectedPaymentPerLoss);
  const pure = base.map((b, i) => pure0[i] * b.aggregateLimitFactor);
  const codes = Object.keys(standAlone);
  const coverageShare = (c: string) => (standAloneTotal > 0 ? standAlone[c] / standAloneTotal : 1 / codes.length);
  // per coverage: its pure premium and number of lines (one pass; a policy may have 1,000 lines)
  const byCoverage = new Map<string, { pure: number; lines: number }>();
  base.forEach((b, i) => {
    const t = byCoverage.get(b.coverage) ?? { pure: 0, lines: 0 };
    t.pure += pure[i];
    t.lines += 1;
    byCoverage.set(b.coverage, t);
  });
  const shares = base.map((b, i) => {
    const t = byCoverage.get(b.coverage) as { pure: number; lines: number };
    return coverageShare(b.coverage) * (t.pure > 0 ? pure[i] / t.pure : 1 / t.lines);
  });
  const raw = base.map((b, i) => {
    const purePremium = pure[i];
    const riskMargin = riskMarginTotal * shares[i];
    const technicalPremium = purePremium + riskMargin;
    const premiumBeforeTax = technicalPremium / (1 - variable);
    const tax = loadings.taxRate * premiumBeforeTax;
    return { purePremiumBeforeAggregateLimit: pure0[i], purePremium, riskMargin, technicalPremium, premiumBeforeTax, tax, grossPremium: premiumBeforeTax + tax };
  });

  // 6. minimum premium
  const grossTotal = raw.reduce((s, r) => s + r.grossPremium, 0);
  const minimumApplied = grossTotal < minimum;
  if (minimumApplied) {
    const k = grossTotal > 0 ? minimum / grossTotal : 0;
    for (let i = 0; i < raw.length; i++) {
      const r = raw[i];
      if (grossTotal > 0) {
        raw[i] = { ...r, premiumBeforeTax: r.premiumBeforeTax * k, tax: r.tax * k, grossPremium: r.grossPremium * k };
      } else {
        // nothing to scale: split the minimum equally, tax at the tax rate
        const gross = minimum / raw.length;
        const pre = gross / (1 + loadings.taxRate);
        raw[i] = { ...r, premiumBeforeTax: pre, tax: gross - pre, grossPremium: gross };
      }
    }
  }

  // 7. rounding
  const grossCents = minimumApplied
    ? allocateCents(toCents(minimum), raw.map((r) => r.grossPremium))
    : raw.map((r) => toCents(r.grossPremium));
  const lineOut: PremiumLineBreakdown[] = base.map((b, i) => {
    const r = raw[i];
    const preCents = toCents(r.premiumBeforeTax);
    return {
      lineId: b.lineId,
      coverage: b.coverage,
      exposureHours: b.exposureHours,
      expectedClaims: b.expectedClaims,
      loadedExpectedClaims: b.loadedExpectedClaims,
      expectedPaymentPerLoss: b.expectedPaymentPerLoss,
      loadingFactor: b.loadingFactor,
      aggregateLimitFactor: b.aggregateLimitFactor,
      allocationShare: shares[i],
      purePremiumBeforeAggregateLimit: toCents(r.purePremiumBeforeAggregateLimit) / 100,
      purePremium: toCents(r.purePremium) / 100,
      riskMargin: toCents(r.riskMargin) / 100,
      technicalPremium: toCents(r.technicalPremium) / 100,
      premiumBeforeTax: preCents / 100,
      tax: (grossCents[i] - preCents) / 100,
      grossPremium: grossCents[i] / 100,
      ratePerOperatingHour: b.exposureHours > 0 ? grossCents[i] / 100 / b.exposureHours : NaN,
      unrounded: r,
    };
  });
  const sumCents = (f: (x: PremiumLineBreakdown) => number) => lineOut.reduce((s, x) => s + toCents(f(x)), 0) / 100;
  const hours = base.reduce((s, b) => s + b.exposureHours, 0);
  const totals = {
    exposureHours: hours,
    expectedClaims: base.reduce((s, b) => s + b.expectedClaims, 0),
    purePremiumBeforeAggregateLimit: sumCents((x) => x.purePremiumBeforeAggregateLimit),
    purePremium: sumCents((x) => x.purePremium),
    riskMargin: sumCents((x) => x.riskMargin),
    technicalPremium: sumCents((x) => x.technicalPremium),
    premiumBeforeTax: sumCents((x) => x.premiumBeforeTax),
    tax: sumCents((x) => x.tax),
    grossPremium: sumCents((x) => x.grossPremium),
  };
  return { lines: lineOut, riskMarginTotal, totals, minimumPremiumApplied: minimumApplied, ratePerOperatingHour: hours > 0 ? totals.grossPremium / hours : NaN };
}
