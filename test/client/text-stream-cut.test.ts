import { describe, expect, it } from 'vitest';
import type { TaskEvent } from 'runware-rx';
import type { TextInferenceDelta, TextInferenceResult } from 'runware-rx/tasks';
import { client, simulator } from '../support/simulator.js';

/*
 * A streamed textInference whose stream the network cuts mid-answer, against the simulator's
 * fault (`faults.cutStreams()`): nothing lost, nothing doubled, nothing billed twice.
 */

type Event = TaskEvent<TextInferenceResult, TextInferenceDelta>;

const request = { model: 'google:gemma@4-31b', messages: [{ role: 'user' as const, content: 'What is a lighthouse for?' }], seed: 5, deliveryMethod: 'stream' as const };

describe('a streamed answer cut mid-stream', () => {
  it('is sent again under its taskUUID, and the whole answer the server kept is the result; the task ran once', async () => {
    const sim = await simulator({ media: false, imageLatencyMs: 1500 });
    const runware = client(sim);
    const events: Event[] = [];
    await new Promise<void>((resolve, reject) => {
      runware.textInference$(request).subscribe({
        next: (event) => {
          events.push(event);
          if (event.type === 'partial' && events.filter((e) => e.type === 'partial').length === 1) expect(sim.faults.cutStreams()).toBe(1);
        },
        error: reject,
        complete: resolve,
      });
    });
    const types = events.map((event) => event.type);
    // The cut is made on the first piece; a piece the client had already read with it (two events
    // in one read, as on a busy machine) is delivered before the cut is noticed.
    const cut = types.indexOf('retrying');
    expect(types[0]).toBe('submitted');
    expect(cut).toBeGreaterThan(1);
    expect(types.slice(1, cut).every((type) => type === 'partial')).toBe(true);
    expect(types.at(-1)).toBe('result');
    expect(types.filter((type) => type === 'result')).toHaveLength(1);
    const [sync] = await runware.textInference({ ...request, deliveryMethod: 'sync' });
    const result = events.at(-1) as Extract<Event, { type: 'result' }>;
    expect(result.item.text).toBe(sync!.text);
    // The first piece came before the cut, and it is where the whole answer begins.
    const first = events.find((event): event is Extract<Event, { type: 'partial' }> => event.type === 'partial')!;
    expect(result.item.text.startsWith(first.item.delta.text!)).toBe(true);
    // Under the stream's taskUUID: the submission and its re-send (a conflict), then getResponse.
    const mine = sim.receivedTasks().filter((task) => task.taskUUID === result.taskUUID);
    expect(mine.filter((task) => task.taskType === 'textInference')).toHaveLength(2);
    expect(mine.some((task) => task.taskType === 'getResponse')).toBe(true);
    // Run once for the stream and once for the sync request.
    expect(sim.stats().tasksStarted['textInference']).toBe(2);
  });
});
