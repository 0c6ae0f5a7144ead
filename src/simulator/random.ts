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

/**
 * The seed of stream `index` under `seed` (murmur3's finaliser over a golden-ratio step), so that
 * the streams of one seed are unrelated to each other and to those of neighbouring seeds.
 */
export const streamSeed = (seed: number, index: number): number => {
  let h = (seed ^ Math.imul(index + 1, 0x9e37_79b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  return (h ^ (h >>> 16)) >>> 0;
};
