/**
 * Parameter maps between the severity families and unconstrained optimisation coordinates.
 */
import type { DistributionName, SeverityDistribution } from '../distributions/types.ts';
import { lognormal } from '../distributions/lognormal.ts';
import { gamma } from '../distributions/gamma.ts';
import { weibull } from '../distributions/weibull.ts';
import { lomax } from '../distributions/lomax.ts';
import { exponential } from '../distributions/exponential.ts';
import { gpd } from '../distributions/gpd.ts';

/** A parametric family: build from a parameter vector, map to/from free (unbounded) coordinates. */
export interface Family<D extends SeverityDistribution = SeverityDistribution> {
  name: DistributionName;
  paramNames: string[];
  build(p: number[]): D;
  toFree(p: number[]): number[];
  fromFree(z: number[]): number[];
}

const logAll = (p: number[]): number[] => p.map(Math.log);
const expAll = (z: number[]): number[] => z.map(Math.exp);

export const lognormalFamily: Family = {
  name: 'lognormal',
  paramNames: ['meanlog', 'sdlog'],
  build: ([meanlog, sdlog]) => lognormal({ meanlog, sdlog }),
  toFree: ([m, s]) => [m, Math.log(s)],
  fromFree: ([m, ls]) => [m, Math.exp(ls)],
};

export const gammaFamily: Family = {
  name: 'gamma',
  paramNames: ['shape', 'rate'],
  build: ([shape, rate]) => gamma({ shape, rate }),
  toFree: logAll,
  fromFree: expAll,
};

export const weibullFamily: Family = {
  name: 'weibull',
  paramNames: ['shape', 'scale'],
  build: ([shape, scale]) => weibull({ shape, scale }),
  toFree: logAll,
  fromFree: expAll,
};

export const lomaxFamily: Family = {
  name: 'lomax',
  paramNames: ['shape', 'scale'],
  build: ([shape, scale]) => lomax({ shape, scale }),
  toFree: logAll,
  fromFree: expAll,
};

export const exponentialFamily: Family = {
  name: 'exponential',
  paramNames: ['rate'],
  build: ([rate]) => exponential({ rate }),
  toFree: logAll,
  fromFree: expAll,
};

/** GPD with a fixed location `threshold`; free parameters (scale, shape). */
export function gpdFamily(threshold: number): Family {
  return {
    name: 'gpd',
    paramNames: ['scale', 'shape'],
    build: ([scale, shape]) => gpd({ threshold, scale, shape }),
    toFree: ([s, xi]) => [Math.log(s), xi],
    fromFree: ([ls, xi]) => [Math.exp(ls), xi],
  };
}
