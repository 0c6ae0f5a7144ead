import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from 'runware-rx';
import type { PromptView } from '../../examples/prompt-stream/images-for-prompts.js';
import { imagesForPrompts } from '../../examples/prompt-stream/images-for-prompts.js';
import { client, simulator } from '../support/simulator.js';
import { waitFor } from '../support/wait-for.js';
import { runExample } from './run-example.js';

/*
 * The prompt stream is driven in-process, through the example's exported function, because the
 * test must type into it at chosen moments: after the simulator has the first task, before that
 * task finishes (its latency is 2 s; the debounce is 20 ms). Its command is run too, as a child
 * process fed on standard input.
 */

describe('examples/prompt-stream', () => {
  it('sends the last prompt of a burst, cancels it when a new prompt comes, and shows only the newest image', async () => {
    const sim = await simulator({ media: false, imageLatencyMs: 2000 });
    const logged: LogRecord[] = [];
    const runware = client(sim, { logger: (record) => logged.push(record) });
    const received = () => sim.receivedTasks().filter((task) => task['taskType'] === 'imageInference');
    const prompts = new Subject<string>();
    const views: PromptView[] = [];
    const cancelled: { prompt: string; taskUUID: string | undefined }[] = [];
    const completed = new Promise<void>((resolve, reject) =>
      imagesForPrompts(runware, prompts, { debounceMs: 20, onCancelled: (request) => cancelled.push(request) }).subscribe({
        next: (view) => views.push(view),
        error: reject,
        complete: resolve,
      }),
    );

    // Typed in one go: the debounce lets only the last prompt through (one character is too short anyway).
    prompts.next('a');
    prompts.next('a li');
    prompts.next('a lighthouse');
    await waitFor(() => received().length === 1);
    // A new prompt while that image is being made: its request is cancelled.
    prompts.next('a lighthouse at night');
    await waitFor(() => received().length === 2);
    prompts.complete();
    await completed;

    const [first, second] = received();
    expect([first?.['positivePrompt'], second?.['positivePrompt']]).toEqual(['a lighthouse', 'a lighthouse at night']);
    expect(cancelled).toEqual([{ prompt: 'a lighthouse', taskUUID: first?.['taskUUID'] }]);
    expect(views).toEqual([
      { state: 'generating', prompt: 'a lighthouse' },
      { state: 'generating', prompt: 'a lighthouse at night' },
      { state: 'ready', prompt: 'a lighthouse at night', imageURL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/media\//) },
    ]);
    // The server still finished the cancelled task (there is no cancel message in the protocol):
    // its result reached the client, which had no request left for it and dropped it.
    const firstUUID = String(first?.['taskUUID']);
    await waitFor(() => logged.some((record) => record.event === 'frame.in' && record.detail.includes(firstUUID) && record.detail.includes('imageUUID')));
    expect(logged.some((record) => record.event === 'frame.unknown')).toBe(true);
  });

  it('as a command, takes prompts from standard input: piped lines arrive together, so only the last is generated', async () => {
    const { code, stdout, stderr } = await runExample('examples/prompt-stream/main.ts', { input: 'a lighthouse\na lighthouse at night\n' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.slice(1)).toEqual(['generating "a lighthouse at night"…', expect.stringMatching(/^image for "a lighthouse at night": http:\/\/127\.0\.0\.1:\d+\/media\//)]);
  });
});
