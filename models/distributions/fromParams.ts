/**
 * Rebuilds a severity distribution from its stored name and parameters (e.g. a model_version row).
 */
import type { DistributionName, SeverityDistribution } from './types.ts';
import { lognormal } from './lognormal.ts';
import { gamma } from './gamma.ts';
import { weibull } from './weibull.ts';
import { lomax } from './lomax.ts';
import { exponential } from './exponential.ts';
import { gpd } from './gpd.ts';
import { spliced } from './spliced.ts';

export interface FromParamsOptions {
  /** For `spliced`: the body family (the stored `bodyName`). */
  body?: DistributionName;
}

function need(name: string, params: Readonly<Record<string, number>>, key: string): number {
  const v = params[key];
  if (typeof v !== 'number') throw new RangeError(`${name}: missing parameter '${key}'`);
  return v;
}

/**
 * Builds the distribution `name` from `params` as produced by its `params` property:
 * lognormal {meanlog, sdlog}; gamma {shape, rate}; weibull {shape, scale}; lomax {shape, scale};
 * exponential {rate}; gpd {threshold, scale, shape}; spliced {threshold, weight, tail.scale,
 * tail.shape, body.<param>…} with `options.body` naming the body family.
 *
 * @throws RangeError for an unknown name, a missing parameter, a spliced model without its body
 * family, or parameter values the constructor rejects.
 */
export function distributionFromParams(
  name: DistributionName,
  params: Readonly<Record<string, number>>,
  options: FromParamsOptions = {},
): SeverityDistribution {
  switch (name) {
    case 'lognormal':
      return lognormal({ meanlog: need(name, params, 'meanlog'), sdlog: need(name, params, 'sdlog') });
    case 'gamma':
      return gamma({ shape: need(name, params, 'shape'), rate: need(name, params, 'rate') });
    case 'weibull':
      return weibull({ shape: need(name, params, 'shape'), scale: need(name, params, 'scale') });
    case 'lomax':
      return lomax({ shape: need(name, params, 'shape'), scale: need(name, params, 'scale') });
    case 'exponential':
      return exponential({ rate: need(name, params, 'rate') });
    case 'gpd':
      return gpd({ threshold: params.threshold ?? 0, scale: need(name, params, 'scale'), shape: need(name, params, 'shape') });
    case 'spliced': {
      if (!options.body) throw new RangeError('spliced: options.body (the body family) is required');
      const bodyParams: Record<string, number> = {};
      for (const [k, v] of Object.entries(params)) if (k.startsWith('body.')) bodyParams[k.slice(5)] = v;
      const threshold = need(name, params, 'threshold');
      return spliced({
        body: distributionFromParams(options.body, bodyParams),
        tail: gpd({ threshold, scale: need(name, params, 'tail.scale'), shape: need(name, params, 'tail.shape') }),
        threshold,
        weight: need(name, params, 'weight'),
      });
    }
    default:
      throw new RangeError(`unknown distribution '${String(name)}'`);
  }
}
