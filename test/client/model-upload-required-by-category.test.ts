import { describe, expect, it } from 'vitest';
import { isRunwareError } from 'runware-rx';
import { client, simulator } from '../support/simulator.js';

/*
 * Protocol §4.16: `type` is required for checkpoints and embeddings, `conditioning` for
 * controlnets. modelUpload declares both optional with no rule across fields, so such an upload is
 * sent and refused by the server (a long-running stream task), instead of being refused locally
 * with a message naming the parameter.
 */

const upload = { architecture: 'sdxl', air: 'me:1@1', uniqueIdentifier: 'abc123', name: 'mine', version: '1', downloadURL: 'https://example.com/model.safetensors' };

const refusal = async (promise: Promise<unknown>) => {
  const error: unknown = await promise.then(() => undefined, (reason: unknown) => reason);
  if (!isRunwareError(error)) throw new Error(`expected a typed error, got ${String(error)}`);
  return error;
};

describe('modelUpload', () => {
  it('refuses a checkpoint without its type locally, naming type', async () => {
    const sim = await simulator({ media: false });
    const error = await refusal(client(sim).modelUpload({ ...upload, category: 'checkpoint' }));
    expect(error).toMatchObject({ code: 'validation', parameter: 'type', sent: false });
    expect(sim.receivedTasks().filter((task) => task['taskType'] === 'modelUpload')).toEqual([]);
  });

  it('refuses a controlnet without its conditioning locally, naming conditioning', async () => {
    const sim = await simulator({ media: false });
    const error = await refusal(client(sim).modelUpload({ ...upload, category: 'controlnet' }));
    expect(error).toMatchObject({ code: 'validation', parameter: 'conditioning', sent: false });
  });

  it('sends a lora, which needs neither', async () => {
    const sim = await simulator({ media: false });
    await client(sim).modelUpload({ ...upload, category: 'lora' }).catch(() => undefined);
    expect(sim.receivedTasks().filter((task) => task['taskType'] === 'modelUpload')).toHaveLength(1);
  });
});
