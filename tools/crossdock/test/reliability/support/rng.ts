/** A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence. */
export interface Rng {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
}

/** The generator for `seed`; the seed of a run comes from CROSSDOCK_RELIABILITY_SEED or a fixed default. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

/** The seed of this run: CROSSDOCK_RELIABILITY_SEED when set (to replay a failure), else `fallback`. */
export function runSeed(
  env: Readonly<Record<string, string | undefined>>,
  fallback: number,
): number {
  const given = Number(env['CROSSDOCK_RELIABILITY_SEED']);
  return Number.isSafeInteger(given) && given > 0 ? given : fallback;
}
