/**
 * The scorecard mathematics against R (tests/fixtures/reference/scorecard.R) and hand-worked
 * values: Garwood intervals (poisson.test), the empirical-Bayes Poisson–gamma shrinkage, the
 * closed form P(λ₁ < λ₂) and P(best) by integration and Monte Carlo.
 */
import { describe, expect, it } from 'vitest';
import { readReferenceJson } from '../../fixtures.ts';
import {
  cellPosterior, cellStatistics, fitGammaPrior, hoursForFullCredibility, probabilityBest, probabilityBestMonteCarlo, probabilityLower,
} from '../../../models/scorecard/index.ts';

const ref = readReferenceJson('scorecard.expected.json');
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe('cell statistics', () => {
  it('gives the incident rate per 1,000 h with the interval of R poisson.test', () => {
    for (const r of ref.intervals) {
      const s = cellStatistics({ hours: r.hours, incidents: r.count, severeIncidents: 0, protectiveStops: 0, nearMisses: 0, downtimeHours: 0, downtimeReportedHours: 0 });
      expect(rel(s.incident_rate_per_1000h!, r.rate_per_1000h) < 1e-12 || r.count === 0).toBe(true);
      if (r.ci_low === 0) expect(s.ci_low).toBe(0); else expect(rel(s.ci_low!, r.ci_low)).toBeLessThan(1e-9);
      expect(rel(s.ci_high!, r.ci_high)).toBeLessThan(1e-9);
      // the MTBI interval is the rate interval inverted
      expect(rel(s.mtbi_ci_low!, 1000 / r.ci_high)).toBeLessThan(1e-9);
      if (r.count === 0) { expect(s.mean_hours_between_incidents).toBeNull(); expect(s.mtbi_ci_high).toBeNull(); }
      else expect(rel(s.mtbi_ci_high!, 1000 / r.ci_low)).toBeLessThan(1e-9);
    }
  });

  it('computes the per-1,000-h indicators, the severe share and downtime over the reporting hours (hand-worked)', () => {
    const s = cellStatistics({ hours: 4000, incidents: 8, severeIncidents: 2, protectiveStops: 60, nearMisses: 10, downtimeHours: 30, downtimeReportedHours: 3000 });
    expect(s.incident_rate_per_1000h).toBeCloseTo(2, 12);
    expect(s.mean_hours_between_incidents).toBe(500);
    expect(s.protective_stops_per_1000h).toBeCloseTo(15, 12);
    expect(s.near_misses_per_1000h).toBeCloseTo(2.5, 12);
    expect(s.severe_share).toBe(0.25);
    expect(s.downtime_per_1000h).toBeCloseTo(10, 12);
    const none = cellStatistics({ hours: 0, incidents: 0, severeIncidents: 0, protectiveStops: 0, nearMisses: 0, downtimeHours: 0, downtimeReportedHours: 0 });
    expect(none.incident_rate_per_1000h).toBeNull();
    expect(none.downtime_per_1000h).toBeNull();
  });

  it('gives the hours still needed for full credibility from the 270.6-incident standard', () => {
    const h = hoursForFullCredibility(100_000, 0.5);
    expect(h.standard_incidents).toBeCloseTo((1.6448536269514722 / 0.1) ** 2, 8);
    expect(h.hours_for_full_credibility).toBeCloseTo((h.standard_incidents / 0.5) * 1000, 6);
    expect(h.hours_still_needed).toBeCloseTo(h.hours_for_full_credibility! - 100_000, 6);
    expect(hoursForFullCredibility(10_000_000, 0.5).hours_still_needed).toBe(0);
    expect(hoursForFullCredibility(100, 0).hours_for_full_credibility).toBeNull();
  });
});

describe('empirical-Bayes Poisson–gamma credibility', () => {
  const cells = ref.eb.counts.map((n, i) => ({ count: n, exposure: ref.eb.exposures[i] }));
  const prior = fitGammaPrior(cells);

  it('estimates the class rate, between variance and gamma prior as R does', () => {
    expect(rel(prior.mean, ref.eb.class_rate)).toBeLessThan(1e-12);
    expect(rel(prior.betweenVariance, ref.eb.between_variance)).toBeLessThan(1e-9);
    expect(rel(prior.shape!, ref.eb.shape)).toBeLessThan(1e-9);
    expect(rel(prior.rate!, ref.eb.rate)).toBeLessThan(1e-9);
  });

  it('shrinks each cell as R does: credibility, posterior mean and qgamma limits', () => {
    cells.forEach((c, i) => {
      const p = cellPosterior(c, prior);
      expect(rel(p.credibility, ref.eb.credibility[i])).toBeLessThan(1e-9);
      expect(rel(p.rate, ref.eb.credibility_rate[i])).toBeLessThan(1e-9);
      expect(rel(p.rate, ref.eb.posterior_mean[i])).toBeLessThan(1e-9);
      expect(rel(p.lower!, ref.eb.posterior_low[i])).toBeLessThan(1e-7);
      expect(rel(p.upper!, ref.eb.posterior_high[i])).toBeLessThan(1e-7);
    });
  });

  it('shrinks in the same direction as the maximum-likelihood prior (R optim), small cells most', () => {
    cells.forEach((c, i) => {
      const mom = cellPosterior(c, prior).rate;
      const raw = c.count / c.exposure;
      const ml = ref.eb.ml.posterior_mean[i];
      // both lie between the raw rate and the class rate
      expect(Math.sign(mom - raw)).toBe(Math.sign(ml - raw));
      expect(Math.abs(mom - ml)).toBeLessThan(0.1);
    });
    const z = cells.map((c) => cellPosterior(c, prior).credibility);
    expect(z[5]).toBeLessThan(z[4]); // 3.1 thousand hours < 8.2
    expect(z[4]).toBeLessThan(z[0]);
  });

  it('falls back to the class rate (Z = 0, no posterior) when the cells show no heterogeneity or there is one cell', () => {
    const flat = fitGammaPrior([{ count: 10, exposure: 10 }, { count: 10, exposure: 10 }, { count: 11, exposure: 10 }]);
    expect(flat.betweenVariance).toBeLessThan(0);
    expect(flat.shape).toBeNull();
    const p = cellPosterior({ count: 11, exposure: 10 }, flat);
    expect(p.credibility).toBe(0);
    expect(p.rate).toBeCloseTo(31 / 30, 12);
    expect(p.shape).toBeNull();
    expect(fitGammaPrior([{ count: 3, exposure: 2 }])).toMatchObject({ mean: 1.5, shape: null });
    expect(() => fitGammaPrior([])).toThrow(RangeError);
    expect(() => fitGammaPrior([{ count: 1.5, exposure: 1 }])).toThrow(RangeError);
  });
});

describe('probability of being best in class', () => {
  it('matches R pbeta for two gammas, and the integral agrees with the closed form', () => {
    for (const c of ref.p_lower) {
      const p1 = { shape: c.a1, rate: c.b1 };
      const p2 = { shape: c.a2, rate: c.b2 };
      expect(probabilityLower(p1, p2)).toBeCloseTo(c.p_lower, 12);
      const [b1, b2] = probabilityBest([p1, p2]);
      expect(b1).toBeCloseTo(c.p_lower, 7);
      expect(b1 + b2).toBeCloseTo(1, 7);
    }
  });

  it('matches R integrate for three posteriors, and a seeded Monte Carlo within 4 standard errors', () => {
    const ps = ref.p_best.shape.map((a, i) => ({ shape: a, rate: ref.p_best.rate[i] }));
    const exact = probabilityBest(ps);
    exact.forEach((p, i) => expect(p).toBeCloseTo(ref.p_best.p_best[i], 7));
    const draws = 200_000;
    const mc = probabilityBestMonteCarlo(ps, draws, 7);
    mc.forEach((p, i) => expect(Math.abs(p - exact[i])).toBeLessThan(4 * Math.sqrt(exact[i] * (1 - exact[i]) / draws)));
    expect(probabilityBestMonteCarlo(ps, 1000, 7)).toEqual(probabilityBestMonteCarlo(ps, 1000, 7));
    expect(probabilityBest([{ shape: 2, rate: 1 }])).toEqual([1]);
    expect(() => probabilityBest([{ shape: 0, rate: 1 }])).toThrow(RangeError);
  });
});

describe('incomplete gamma and gamma quantile', () => {
  it('match R pgamma / qgamma where the stdlib versions are off (large shapes)', async () => {
    const { lowerGammaRegularized, upperGammaRegularized } = await import('../../../models/statistics/incomplete-gamma.ts');
    const { gammaQuantile } = await import('../../../models/statistics/gamma-quantile.ts');
    // R: pgamma(1621, 1621) = 0.503302925592; qgamma(0.975, 1621) = 1700.8542130833; pgamma(3, 2.5) = 0.6937810815...
    expect(lowerGammaRegularized(1621, 1621)).toBeCloseTo(0.503302925592, 11);
    expect(gammaQuantile(0.975, 1621, 1)).toBeCloseTo(1700.8542130833, 8);
    expect(lowerGammaRegularized(2.5, 3) + upperGammaRegularized(2.5, 3)).toBeCloseTo(1, 14);
    expect(lowerGammaRegularized(1, 2)).toBeCloseTo(1 - Math.exp(-2), 14);
    expect(upperGammaRegularized(1, 40)).toBeCloseTo(Math.exp(-40), 28);
  });
});
