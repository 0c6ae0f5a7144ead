import { describe, expect, it } from 'vitest';
import type { LogRecord } from 'runware-rx';
import { isRunwareError } from 'runware-rx';
import { client, simulator } from '../support/simulator.js';

/*
 * Protocol §4.2.2 documents the fields of imageInference's feature objects: embeddings[] is
 * {model (req.), weight −4…4}, exactly lora's shape; controlNet[] is {model (req.), guideImage
 * (req.), weight 0…1, startStep, startStepPercentage, endStep, endStepPercentage, controlMode};
 * refiner is {model (req.), startStep, startStepPercentage}. lora's misspelt field is warned
 * about and its bad weight refused; the same mistakes in these objects pass silently, because
 * the definition declares them as free-form objects.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', width: 512, height: 512 };

describe('imageInference feature objects', () => {
  it('warn about a misspelt field in embeddings and controlNet, as in lora', async () => {
    const logged: LogRecord[] = [];
    const runware = client(await simulator({ media: false }), { logger: (record) => logged.push(record) });
    await runware.imageInference({
      ...image,
      embeddings: [{ model: 'civitai:1@1', wieght: 0.5 }],
      controlNet: [{ model: 'runware:20@1', guideImage: 'https://example.com/edges.png', wieght: 0.5 }],
    } as never);
    const warnings = logged.filter((record) => record.event === 'param.unknown').map((record) => record.detail);
    expect(warnings.some((line) => line.includes('"embeddings.0.wieght"'))).toBe(true);
    expect(warnings.some((line) => line.includes('"controlNet.0.wieght"'))).toBe(true);
  });

  it('refuse an embeddings weight out of −4…4 and a controlNet without its guideImage, naming them', async () => {
    const runware = client(await simulator({ media: false }));
    const error: unknown = await runware
      .imageInference({ ...image, embeddings: [{ model: 'civitai:1@1', weight: 40 }], controlNet: [{ model: 'runware:20@1' }] } as never)
      .then(() => undefined, (reason: unknown) => reason);
    expect(isRunwareError(error) && error.code === 'validation' && error.sent === false).toBe(true);
    expect(String((error as Error).message)).toContain('embeddings.0.weight');
    expect(String((error as Error).message)).toContain('controlNet.0.guideImage');
  });

  it('send the documented fields as given, with bytes as a guide image', async () => {
    const sim = await simulator({ media: false });
    const logged: LogRecord[] = [];
    const png = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==', 'base64'));
    await client(sim, { strictParams: true, logger: (record) => logged.push(record) })
      .imageInference({
        ...image,
        embeddings: [{ model: 'civitai:1@1', weight: -1 }],
        controlNet: [{ model: 'runware:20@1', guideImage: png, weight: 0.8, startStepPercentage: 0, endStepPercentage: 80, controlMode: 'balanced' }],
        ipAdapters: [{ model: 'runware:55@1', guideImage: 'https://example.com/style.png', weight: 0.5 }],
        refiner: { model: 'runware:101@1', startStepPercentage: 70 },
      })
      .catch(() => undefined);
    const sent = sim.receivedTasks().find((task) => task['taskType'] === 'imageInference');
    expect(sent).toMatchObject({
      embeddings: [{ model: 'civitai:1@1', weight: -1 }],
      controlNet: [{ model: 'runware:20@1', guideImage: expect.stringMatching(/^data:image\/png;base64,/), weight: 0.8, controlMode: 'balanced' }],
      refiner: { model: 'runware:101@1', startStepPercentage: 70 },
    });
    expect(logged.filter((record) => record.event === 'param.unknown')).toEqual([]);
  });
});
