import { describe, expect, it } from 'vitest';
import { useSimulator } from './support/harness.js';
import { dataUri, solidWithBox } from './support/media.js';
import { taskUUID, type RawClient } from './support/raw-client.js';

const run = async (client: RawClient, fields: Record<string, unknown>) => {
  const task = { taskUUID: taskUUID(), ...fields };
  client.send([task]);
  return client.results(String(task.taskUUID));
};

/** Each image tool, the fields it needs beside its input, and the name of its output's UUID. */
const TOOLS = [
  { taskType: 'upscale', fields: { upscaleFactor: 2 }, uuid: 'imageUUID' },
  { taskType: 'removeBackground', fields: {}, uuid: 'imageUUID' },
  { taskType: 'controlNetPreprocess', fields: { preProcessorType: 'canny' }, uuid: 'guideImageUUID' },
  { taskType: 'imageMasking', fields: { model: 'runware:35@1' }, uuid: 'maskImageUUID' },
] as const;

const MODES = [
  { mode: 'with sharp', options: {} },
  { mode: 'in fast mode', options: { media: false } },
] as const;

describe('simulator: the image tools’ outputs', () => {
  const harness = useSimulator();

  describe.each(MODES)('$mode', ({ options }) => {
    it.each(TOOLS)('$taskType keeps its output under $uuid, even as base64Data: a later task takes that UUID as its input', async ({ taskType, fields, uuid }) => {
      await harness.start(options);
      const client = await harness.authed();
      const input = await solidWithBox({ width: 40, height: 30 }, '#2050c0', { left: 10, top: 10, width: 20, height: 10, colour: '#f0d010' });
      const made = await run(client, { taskType, inputImage: dataUri(input), outputType: 'base64Data', outputFormat: 'PNG', ...fields });
      expect(made.errors).toEqual([]);
      const output = made.data[0]![uuid];
      expect(output).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
      const next = await run(client, { taskType: 'upscale', inputImage: output, upscaleFactor: 2 });
      expect(next.errors).toEqual([]);
      expect(next.data[0]!['inputImageUUID']).toBe(output);
    });
  });
});
