import { describe, expect, it } from 'vitest';
import type { LogRecord } from 'runware-rx';
import { withExtraFields } from 'runware-rx';
import { client, simulator } from '../support/simulator.js';

/*
 * Unknown fields are named once per field: the same misspelt field in every item of a list is one
 * field, not one per index. And what is added through withExtraFields is the caller's on purpose
 * at every depth: a new field inside a known object (`safety.tolerance`, which py-legacy sends)
 * passes without a warning, strictParams or not, while the known fields beside it are still checked.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', width: 512, height: 512 };

describe('an unknown field', () => {
  it('is named once, whatever the index of the list item it is in', async () => {
    const logged: LogRecord[] = [];
    const runware = client(await simulator({ media: false }), { logger: (record) => logged.push(record) });
    const lora = (count: number) => Array.from({ length: count }, () => ({ model: 'civitai:1@1', wieght: 0.5 }));
    await runware.imageInference({ ...image, lora: lora(2) } as never);
    await runware.imageInference({ ...image, lora: lora(3) } as never);
    const warnings = logged.filter((record) => record.event === 'param.unknown').map((record) => record.detail);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('unknown field "lora.0.wieght" (did you mean "lora.0.weight"?)');
  });
});

describe('fields added with withExtraFields', () => {
  it('pass at any depth, without a warning and under strictParams, and are sent', async () => {
    const sim = await simulator({ media: false });
    const logged: LogRecord[] = [];
    const runware = client(sim, { strictParams: true, logger: (record) => logged.push(record) });
    await runware.imageInference(withExtraFields(image, { safety: { checkContent: true, tolerance: 0.5 } }));
    expect(logged.filter((record) => record.event === 'param.unknown')).toEqual([]);
    expect(sim.receivedTasks().find((task) => task['taskType'] === 'imageInference')).toMatchObject({ safety: { checkContent: true, tolerance: 0.5 } });
  });

  it('leave the known fields beside them checked', async () => {
    const sim = await simulator({ media: false });
    const runware = client(sim, { strictParams: true });
    const error = await runware.imageInference(withExtraFields(image, { safety: { mode: 'paranoid', tolerance: 0.5 } })).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 'validation', parameter: 'safety.mode', sent: false });
    expect(sim.receivedTasks().filter((task) => task['taskType'] === 'imageInference')).toEqual([]);
  });
});
