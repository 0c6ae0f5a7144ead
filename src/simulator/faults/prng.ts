export { mulberry32 } from '../random.js';
export type { Random } from '../random.js';

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
