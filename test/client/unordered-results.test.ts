import { describe, expect, it } from 'vitest';
import { client, simulator } from '../support/simulator.js';

/*
 * A polled task of several generations whose results have no output UUID (text): the simulator
 * draws each generation's time apart (σ 1 around 600 ms), so later ones often finish first, and
 * each poll answer lists them in generation order with `processing` items between them.
 */
describe('results without an identity, of generations that finish out of order', () => {
  // Seeds whose drawn times put a later generation first at a poll (found by trying seeds 1–4).
  it.each([1, 4])('are each delivered once, none lost (latency seed %i)', async (latencySeed) => {
    const sim = await simulator({ media: false, imageLatencyMs: 600, generationSpread: 1, latencySeed });
    const results = await client(sim).textInference({
      model: 'runware:101@1',
      messages: [{ role: 'user', content: 'say hi' }],
      numberResults: 4,
      deliveryMethod: 'async',
    });
    const seeds = results.map((result) => (result as { seed?: unknown }).seed);
    expect(seeds).toHaveLength(4);
    expect(new Set(seeds).size).toBe(4);
  });
});
