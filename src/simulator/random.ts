/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny, fast 32-bit PRNG with the same sequence on every platform (only 32-bit
 * integer arithmetic), which is what makes generated media and chaos runs reproducible.
 *
 * @param seed Any number; only its low 32 bits count.
 * @returns The generator.
 */
export const mulberry32 = (seed: number): Random => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};
