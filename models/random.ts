/**
 * Seeded pseudo-random numbers for simulation (Monte Carlo checks, the demo history generator).
 *
 * One Mersenne Twister (MT19937, Matsumoto & Nishimura 1998; the generator R uses by default)
 * drives every variate, through the `@stdlib/random-base-*` samplers given the same uniform
 * source, so a seed reproduces the whole stream. Not cryptographic.
 */
import mt19937 from '@stdlib/random-base-mt19937';
import normalFactory from '@stdlib/random-base-normal';
import gammaFactory from '@stdlib/random-base-gamma';
import poissonFactory from '@stdlib/random-base-poisson';
import binomialFactory from '@stdlib/random-base-binomial';

export interface Rng {
  /** The seed the stream started from. */
  readonly seed: number;
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Normal with mean `mu` and standard deviation `sigma`. */
  normal(mu?: number, sigma?: number): number;
  /** Gamma with `shape` and `rate` (mean shape/rate). */
  gamma(shape: number, rate: number): number;
  /** Poisson with mean `lambda`. */
  poisson(lambda: number): number;
  /** Binomial(n, p). */
  binomial(n: number, p: number): number;
  /**
   * Negative binomial NB2 with mean `mu` and size `theta` (variance mu + mu^2/theta), drawn as a
   * gamma–Poisson mixture: λ ~ Gamma(theta, theta/mu), N | λ ~ Poisson(λ).
   */
  negativeBinomial(mu: number, theta: number): number;
}

/** Creates a seeded generator. Throws RangeError when `seed` is not a positive 32-bit integer. */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed) || seed < 1 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [1, 2^32-1], got ${seed}`);
  }
  const base = mt19937.factory({ seed }) as unknown as { normalized: () => number };
  const prng = base.normalized;
  const normal = normalFactory.factory({ prng });
  const gamma = gammaFactory.factory({ prng });
  const poisson = poissonFactory.factory({ prng });
  const binomial = binomialFactory.factory({ prng });
  return {
    seed,
    uniform: () => prng(),
    normal: (mu = 0, sigma = 1) => normal(mu, sigma),
    gamma: (shape, rate) => gamma(shape, rate),
    poisson: (lambda) => (lambda > 0 ? poisson(lambda) : 0),
    binomial: (n, p) => binomial(n, p),
    negativeBinomial: (mu, theta) => {
      if (!(mu > 0)) return 0;
      return poisson(gamma(theta, theta / mu));
    },
  };
}
