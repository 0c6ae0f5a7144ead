import { describe, expect, it } from 'vitest';
import { client, received, simulator } from '../support/simulator.js';

/*
 * Requests the protocol reference says the API takes, which the simulator answers, and which the
 * client must therefore send rather than refuse: where a source marks a form "(unconfirmed)" or
 * the current official schema leaves a field optional, the server decides, not the SDK.
 */

describe('what the reference lets through, the client sends', () => {
  it('vectorize: a text-to-vector request, positivePrompt and a size with no image (protocol §4.13, unconfirmed)', async () => {
    const sim = await simulator({ media: false });
    const [svg] = await client(sim).vectorize({ positivePrompt: 'a fox in the snow', width: 512, height: 512 });
    expect(svg).toMatchObject({ taskType: 'vectorize', imageUUID: expect.any(String) });
    expect(received(sim, 'vectorize')).toBe(1);
  });

  it('caption: a prompt given as a list of strings, as py-legacy types it (protocol §4.6)', async () => {
    const sim = await simulator({ media: false });
    const [caption] = await client(sim).caption({ inputImage: 'https://example.com/cat.png', prompt: ['What colour', 'is the cat?'] });
    expect(caption?.text).toContain('Asked: "What colour is the cat?"');
    expect(received(sim, 'caption')).toBe(1);
  });

  it('modelUpload: no air, which the current official schema leaves optional (official-clients-surface, ts-new `air?`; protocol §4.16)', async () => {
    const sim = await simulator({ media: false, videoReadyAfterMs: 50 });
    const [ready] = await client(sim).modelUpload({ category: 'lora', architecture: 'flux1d', name: 'No AIR yet', version: '1', downloadURL: 'https://example.com/style.safetensors' });
    expect(ready).toMatchObject({ status: 'ready', air: expect.stringMatching(/^runware:\d+@1$/) });
    expect(received(sim, 'modelUpload')).toBe(1);
  });
});
