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

/** mulberry32: a tiny seeded generator returning floats in [0, 1). */
export const createRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** A generator seeded from a prompt and a generation seed together. */
export const randomFor = (prompt: string, seed: number): (() => number) =>
  createRandom(hashString(`${seed}\u0000${prompt}`));
