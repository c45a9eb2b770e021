/** Seeded randomness for the generator: small, fast and reproducible across platforms. */

/** murmur3's 32-bit finaliser: a bijection on 32-bit integers (used for unique ids). */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** xoshiro128** seeded by splitmix32 from (seed, stream): one independent stream per patient. */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number, stream = 0) {
    this.reseed(seed, stream);
  }

  /** Restarts the generator on another stream (reused per patient to avoid allocation). */
  reseed(seed: number, stream: number): void {
    let s = (fmix32(seed ^ 0x5bd1e995) ^ fmix32((stream + 0x6a09e667) >>> 0)) >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = next(); this.b = next(); this.c = next(); this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Uniform on the open interval (0, 1): safe inside log(). */
  next(): number {
    return (this.u32() + 0.5) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -Math.log(this.next()) * mean;
  }

  /** Standard normal (Box–Muller, one value per call for simplicity). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  /** Gamma with shape 2 and mean 1: the sum of two exponentials of mean 1/2. */
  gamma2(): number {
    return -0.5 * Math.log(this.next() * this.next());
  }

  /** Index drawn from cumulative weights (last entry = total). */
  fromCumulative(cum: ArrayLike<number>): number {
    const u = this.next() * cum[cum.length - 1];
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > u) hi = mid; else lo = mid + 1;
    }
    return lo;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Cumulative sums of weights (for Rng.fromCumulative). */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => { s += w; out[i] = s; });
  return out;
}
