import fc from 'fast-check';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { createRunware, isRunwareError } from 'runware-rx';
import type { RunwareError } from 'runware-rx';
import { createVirtualServer } from '../support/virtual-server.js';
import { pause } from '../support/wait-for.js';

const resources = (): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
};

/*
 * Request options and parameters, generated. Every case ends in a typed error before anything
 * is sent, or in the task on the wire; nothing throws, nothing is left behind.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk' };
const edgeValues = [0, -1, 1, 0.5, 64, 512, 2048, 2 ** 31 - 1, 3e9, Infinity, -Infinity, Number.NaN, '', 'x', '512', true, false, null, [], {}, [1], { a: 1 }];
const anyValue = fc.oneof(fc.constantFrom(...edgeValues), fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.uuid({ version: 4 }), fc.anything());

/** A value as it is sent: the fields of its objects that are null left out, at every depth (a null in a list is kept). */
const withoutNullFields = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutNullFields);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null).map(([key, field]) => [key, withoutNullFields(field)]));
};

/** A client whose socket never opens: requests are checked and queued, never sent. */
function unconnectedClient() {
  class NeverOpens {
    readyState = 0;
    addEventListener(): void {}
    send(): void {
      throw new Error('nothing may be sent');
    }
    close(): void {}
  }
  return createRunware({ apiKey: 'fuzz-key-0001', url: 'ws://127.0.0.1:9/v1', WebSocket: NeverOpens as never });
}

describe('generated request options', () => {
  it('are refused with a ValidationError naming one of them, or accepted, for 3,000 option sets, leaving nothing running', async () => {
    const before = resources();
    const runware = unconnectedClient();
    const names = fc.constantFrom('timeout', 'settled', 'retryFailed', 'taskUUID', 'signal', 'tiemout', 'settle');
    fc.assert(
      fc.property(fc.dictionary(names, anyValue, { maxKeys: 4 }), (options) => {
        let failure: unknown;
        const subscription = runware.image$(image, options as never).subscribe({ error: (error: unknown) => (failure = error) });
        subscription.unsubscribe();
        if (failure === undefined) return true;
        return isRunwareError(failure) && failure.name === 'ValidationError' && failure.parameter !== undefined && failure.parameter in options && failure.sent === false;
      }),
      { numRuns: 3000 },
    );
    await runware.disconnect();
    await pause(50);
    const leaked = [...resources()].filter(([kind, count]) => count > (before.get(kind) ?? 0));
    expect(leaked).toEqual([]);
  });

  it('refuses a signal that is not an AbortSignal, for 500 values', async () => {
    const runware = unconnectedClient();
    await fc.assert(
      fc.asyncProperty(anyValue.filter((value) => value !== undefined), async (signal) => {
        const error = await runware.imageInference(image, { signal: signal as AbortSignal }).then(
          () => undefined,
          (reason: unknown) => reason,
        );
        return isRunwareError(error) && error.name === 'ValidationError' && error.parameter === 'signal';
      }),
      { numRuns: 500 },
    );
    await runware.disconnect();
  });
});

describe('generated imageInference parameters', () => {
  const FIELDS = ['model', 'positivePrompt', 'negativePrompt', 'width', 'height', 'steps', 'seed', 'CFGScale', 'numberResults', 'outputType', 'outputFormat', 'strength', 'settings', 'lora', 'widht', 'prompt'];
  const wild = fc.dictionary(
    fc.constantFrom(...FIELDS),
    fc.oneof(anyValue, fc.constantFrom('runware:101@1', 'JPG', 'PNG', 'URL', 'base64Data'), fc.array(fc.record({ model: fc.constant('civitai:1@1'), weight: fc.double() }), { maxLength: 2 })),
    { maxKeys: 6 },
  );
  // Mostly plausible requests with a few values changed, so that both outcomes are common.
  const plausible = fc
    .record(
      {
        width: fc.oneof(fc.integer({ min: 64, max: 2100 }), fc.constantFrom(...edgeValues)),
        height: fc.integer({ min: 128, max: 2048 }),
        steps: fc.oneof(fc.integer({ min: 0, max: 101 }), fc.double()),
        numberResults: fc.integer({ min: 0, max: 21 }),
        outputFormat: fc.constantFrom('JPG', 'PNG', 'WEBP', 'png', 'GIF', ''),
        CFGScale: fc.oneof(fc.double({ min: -1, max: 51, noNaN: true }), fc.constantFrom(Infinity, Number.NaN)),
        settings: fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean())),
        lora: fc.array(fc.record({ model: fc.constant('civitai:1@1'), weight: fc.double({ min: -5, max: 5, noNaN: true }) }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    )
    .map((overrides) => ({ ...image, ...overrides }));
  const params = fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: wild });

  it('are refused before anything is sent, or sent as given, for 3,500 parameter sets', () => {
    let accepted = 0;
    fc.assert(
      fc.property(params, (generated) => {
        let failure: RunwareError | undefined;
        let sent: Record<string, unknown> | undefined;
        const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
        scheduler.run(() => {
          const server = createVirtualServer(scheduler, (task) => (sent = task));
          const runware = createRunware({ apiKey: 'fuzz-key-0001', url: 'ws://sim.test/v1', WebSocket: server.WebSocket });
          runware.image$(generated as never).subscribe({ error: (error: RunwareError) => (failure = error) });
          scheduler.schedule(() => void runware.disconnect(), 50);
        });
        if (failure?.name === 'ValidationError') return sent === undefined && failure.parameter !== undefined && failure.sent === false;
        if (sent === undefined) return isRunwareError(failure) && failure.code === 'validation';
        // What was accepted is what went out: the caller's fields, with a taskType and a taskUUID
        // (a field set to null is one left unset, and is not sent).
        accepted += 1;
        const { taskType, taskUUID, ...fields } = sent;
        return taskType === 'imageInference' && typeof taskUUID === 'string' && JSON.stringify(fields) === JSON.stringify(withoutNullFields(generated));
      }),
      { numRuns: 3500 },
    );
    // Both outcomes were exercised, not only refusals.
    expect(accepted).toBeGreaterThan(100);
  });
});
