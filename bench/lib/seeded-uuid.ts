/**
 * taskUUIDs (UUID v4 in form) drawn from a seed: the same identifiers, and so the same ready
 * times the simulator draws from them, on every run. A client still cannot know them in
 * advance; two runs of one client, on two versions of the code, meet the same tasks.
 */
import { mulberry32, streamSeed } from '../../src/simulator/random.js';

/**
 * The UUID of the stream named by `seed` and `parts` (each part selects a stream under the last).
 *
 * @param seed The root seed.
 * @param parts Where in the run the task is (a client, a kind of task, its place in a sequence).
 * @returns A UUID v4 string.
 */
export function seededUUID(seed: number, ...parts: readonly number[]): string {
  const random = mulberry32(parts.reduce((stream, part) => streamSeed(stream, part), seed));
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16));
  hex[12] = 4;
  hex[16] = 8 + (hex[16]! % 4);
  const text = hex.map((digit) => digit.toString(16)).join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}
