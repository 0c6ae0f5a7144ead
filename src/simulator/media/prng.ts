import { mulberry32 } from '../random.js';

/**
 * Deterministic randomness for media: the same prompt and seed always draw the same picture,
 * on every machine, so tests and demos are reproducible.
 */

/** A 32-bit FNV-1a hash of a string (fast, well spread for short prompts). */
export const hashString = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/** A seeded generator returning floats in [0, 1). */
export const createRandom = mulberry32;

/** A generator seeded from a prompt and a generation seed together. */
export const randomFor = (prompt: string, seed: number): (() => number) =>
  createRandom(hashString(`${seed}\u0000${prompt}`));
