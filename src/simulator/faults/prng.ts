export { mulberry32, streamSeed } from '../random.js';
export type { Random } from '../random.js';
