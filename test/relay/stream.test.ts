import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { TaskEvent } from 'runware-rx';
import { isRunwareError } from 'runware-rx';
import type { TextInferenceDelta, TextInferenceResult } from 'runware-rx/tasks';
import { browser, EXPIRED_TOKEN, REAL_KEY, realKeySimulator, relayServer } from './support.js';
import { eventsOf, post, TEXT, textTask } from './stream-support.js';

/*
 * A page streams text through the relay: runware-rx POSTs a textInference with deliveryMethod
 * "stream" to its httpUrl (the relay's socket path over http), and the relay checks it as it
 * checks a socket's task, then forwards it to Runware's HTTP endpoint with the real key and
 * hands the Server-Sent Events back.
 */

type Event = TaskEvent<TextInferenceResult, TextInferenceDelta>;
const piecesOf = (events: readonly Event[]): string => events.map((event) => (event.type === 'partial' ? (event.item.delta.text ?? '') : '')).join('');
const textTasks = (sim: { stats(): { tasksReceived: Record<string, number> } }): number => sim.stats().tasksReceived['textInference'] ?? 0;

describe('streamed text through the relay', () => {
  it('reaches a runware-rx page piece by piece, then whole, with the real key upstream and the page socket never dialled', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const page = browser(server, 'alice-session-token');
    const states: string[] = [];
    page.state$.subscribe((state) => states.push(state.type));
    const events = await lastValueFrom(page.textInference$({ ...TEXT, includeUsage: true, includeCost: true }).pipe(toArray()));
    expect(events[0]).toMatchObject({ type: 'submitted', taskType: 'textInference' });
    expect(events.filter((e) => e.type === 'partial').length).toBeGreaterThan(1);
    const last = events.at(-1)!;
    if (last.type !== 'result') throw new Error(`the stream ended with ${last.type}`);
    expect(last.item).toMatchObject({ taskType: 'textInference', finishReason: 'stop', seed: 11, usage: { totalTokens: expect.any(Number) } });
    expect(last.item.text).toBe(piecesOf(events));
    // The simulator takes only the real key: it streamed this task, over HTTP.
    expect(sim.receivedTasks().filter((task) => task['taskType'] === 'textInference')).toEqual([expect.objectContaining({ taskUUID: last.item.taskUUID, deliveryMethod: 'stream' })]);
    expect(states).toEqual(['idle']);
    const logged = JSON.stringify(server.logged);
    expect(logged).toContain('relay.task');
    expect(logged).not.toContain(REAL_KEY);
    expect(logged).not.toContain('alice-session-token');
  });

  it("answers getResponse over HTTP for the user's own streamed task only: another user gets not found, for it and for a stream under its taskUUID", async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const [reply] = await browser(server, 'alice-session-token').textInference(TEXT);
    const { taskUUID, text } = reply!;
    const mine = await post(server, 'alice-session-token', [{ taskType: 'getResponse', taskUUID }]);
    expect(mine.status).toBe(200);
    expect(mine.json?.data).toEqual([expect.objectContaining({ taskType: 'textInference', taskUUID, text })]);

    const polled = await post(server, 'bob-session-token', [{ taskType: 'getResponse', taskUUID }]);
    expect(polled.status).toBe(404);
    expect(polled.json).toEqual({ errors: [expect.objectContaining({ code: 'taskNotFound', taskType: 'getResponse', taskUUID })] });
    const taken = await post(server, 'bob-session-token', [textTask({ taskUUID })]);
    expect(taken.status).toBe(404);
    expect(taken.json?.errors).toEqual([expect.objectContaining({ code: 'taskNotFound', taskUUID })]);
    expect(taken.text).not.toContain(text);
    // Only Alice's own look-up reached the simulator; Bob's stream never did.
    expect(sim.stats().tasksReceived['getResponse']).toBe(1);
    expect(textTasks(sim)).toBe(1);
  });

  it("refuses a missing, unknown or expired token with 401 and the API's auth failure, and nothing reaches Runware", async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim);
    const missing = await post(server, undefined, [textTask()]);
    expect(missing.status).toBe(401);
    expect(missing.json?.errors).toEqual([expect.objectContaining({ code: 'missingApiKey', taskType: 'authentication' })]);
    const unknown = await post(server, 'not-a-session-token', [textTask()]);
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual({ errors: [expect.objectContaining({ code: 'tokenInvalid' })], error: expect.objectContaining({ code: 'tokenInvalid' }) });
    const expired = await post(server, EXPIRED_TOKEN, [textTask()]);
    expect(expired.status).toBe(401);
    expect(expired.json?.errors).toEqual([expect.objectContaining({ code: 'tokenExpired', message: 'The session has expired.' })]);
    const error: unknown = await browser(server, 'not-a-session-token').textInference(TEXT).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(isRunwareError(error) && error.code).toBe('auth');
    expect(textTasks(sim)).toBe(0);
  });

  it("refuses what the user's policy does not allow with the status the API gives, before anything reaches Runware", async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, {
      authorize: ({ token }) =>
        token === 'images-only' ? { userId: 'carol', allowedTaskTypes: ['imageInference'] } : { userId: 'dave', maxNumberResults: 1, ratePerMinute: 1 },
    });
    const refused = async (token: string, tasks: unknown, status: number, code: string, parameter?: string): Promise<void> => {
      const answer = await post(server, token, tasks);
      expect(answer.status).toBe(status);
      expect(answer.json?.errors).toEqual([expect.objectContaining({ code, ...(parameter === undefined ? {} : { parameter }) })]);
    };
    await refused('images-only', [textTask()], 403, 'permissionDenied', 'taskType');
    await refused('dave', [textTask({ numberResults: 2 })], 400, 'invalidNumberResults', 'numberResults');
    await refused('dave', [textTask({ webhookURL: 'https://attacker.example/hook' })], 403, 'permissionDenied', 'webhookURL');
    await refused('dave', [textTask({ taskUUID: 'NOT-A-UUID' })], 400, 'invalidTaskUUID', 'taskUUID');
    // Only what the socket cannot carry comes over HTTP, alone.
    await refused('dave', [textTask({ deliveryMethod: 'sync' })], 400, 'unsupportedDeliveryMethod');
    await refused('dave', [{ taskType: 'imageInference', taskUUID: textTask()['taskUUID'], model: 'runware:101@1', positivePrompt: 'a lighthouse' }], 400, 'unsupportedDeliveryMethod');
    await refused('dave', [textTask(), textTask()], 400, 'invalidPayload');
    await refused('dave', 'not json', 400, 'invalidPayload');
    expect(await post(server, 'dave', [textTask()], { 'x-runware-dry-run': '1' })).toMatchObject({ status: 400 });
    expect(textTasks(sim)).toBe(0);
    // Within the rate, a stream passes; the next one in the same minute is turned away with 429.
    const first = await post(server, 'dave', [textTask()]);
    expect(first.status).toBe(200);
    expect(eventsOf(first.text).at(-1)).toBe('[DONE]');
    await refused('dave', [textTask()], 429, 'rateLimitExceeded');
    expect(textTasks(sim)).toBe(1);
  });
});
