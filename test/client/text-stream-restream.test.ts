import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { TaskEvent } from 'runware-rx';
import type { TextInferenceDelta, TextInferenceResult } from 'runware-rx/tasks';
import { createRunware, ProtocolError } from 'runware-rx';
import { loopbackHttp } from '../support/loopback-http.js';

/*
 * A streamed textInference cut mid-answer is sent again under its taskUUID. Runware answers that
 * with conflictTaskUUID (text-stream.test.ts); a server that instead streams the answer again
 * from its start repeats pieces the caller was already given. Each piece is delivered once, and
 * an answer streamed again that says other words than those delivered is refused, not mixed in;
 * so is one that goes on from the cut, which nothing in the protocol tells from another answer.
 */

const serve = loopbackHttp();

const request = { model: 'google:gemma@4-31b', messages: [{ role: 'user' as const, content: 'What is a lighthouse for?' }], deliveryMethod: 'stream' as const };

type Event = TaskEvent<TextInferenceResult, TextInferenceDelta>;

const partials = (events: readonly Event[]): string[] => events.flatMap((event) => (event.type === 'partial' ? [event.item.delta.text ?? ''] : []));

/** Every event of a request, and its error if it failed. */
const record = (events$: Observable<Event>): Promise<{ events: Event[]; error: unknown }> =>
  new Promise((resolve) => {
    const events: Event[] = [];
    events$.subscribe({ next: (e) => events.push(e), error: (error: unknown) => resolve({ events, error }), complete: () => resolve({ events, error: undefined }) });
  });

const taskUUIDOf = async (incoming: IncomingMessage): Promise<string> => {
  let body = '';
  for await (const chunk of incoming) body += String(chunk);
  return (JSON.parse(body) as { taskUUID: string }[])[0]!.taskUUID;
};

/** One piece of text or reasoning, as an event. */
const piece = (taskUUID: string, delta: { text?: string; reasoningContent?: string }): string => `data: ${JSON.stringify({ taskUUID, delta })}\n\n`;

/**
 * A server that streams the first pieces and cuts the connection (the socket closed mid-body),
 * then answers the task sent again by streaming it from the start, as `again` says.
 */
const cutThenRestream = (first: readonly string[], again: (taskUUID: string) => readonly string[]) => {
  let posts = 0;
  return serve(async (incoming, response: ServerResponse) => {
    const taskUUID = await taskUUIDOf(incoming);
    posts += 1;
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    if (posts === 1) {
      for (const text of first) response.write(piece(taskUUID, { text }));
      // What was written goes first; then the body stops short of its end.
      response.socket!.end();
      return;
    }
    for (const event of again(taskUUID)) response.write(event);
    response.end();
  });
};

const ending = (taskUUID: string): string[] => [`data: ${JSON.stringify({ taskUUID, finishReason: 'stop' })}\n\n`, 'data: [DONE]\n\n'];

const run = async (origin: string) => {
  const runware = createRunware({ apiKey: 'k', url: 'ws://127.0.0.1:9/v1', httpUrl: `${origin}/v1`, retryDelay: 10 });
  const recorded = await record(runware.textInference$(request));
  await runware.disconnect();
  return recorded;
};

describe('a streamed answer sent again after a cut, which the server streams again from its start', () => {
  it('delivers each piece once: the pieces it had delivered are not delivered again, and the result is the whole answer', async () => {
    const origin = await cutThenRestream(['A ', 'light'], (taskUUID) => [piece(taskUUID, { text: 'A ' }), piece(taskUUID, { text: 'light' }), piece(taskUUID, { text: 'house' }), piece(taskUUID, { text: ' warns ships.' }), ...ending(taskUUID)]);
    const { events, error } = await run(origin);
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['submitted', 'partial', 'partial', 'retrying', 'partial', 'partial', 'result']);
    expect(partials(events)).toEqual(['A ', 'light', 'house', ' warns ships.']);
    expect(events.at(-1)).toMatchObject({ type: 'result', item: { text: 'A lighthouse warns ships.', finishReason: 'stop' } });
  });

  it('delivers only the new end of a piece that the second stream cut elsewhere, text and reasoning alike', async () => {
    const origin = await cutThenRestream(['A light'], (taskUUID) => [
      piece(taskUUID, { reasoningContent: 'Ships.' }),
      piece(taskUUID, { text: 'A li' }),
      piece(taskUUID, { text: 'ghthouse' }),
      piece(taskUUID, { text: ' warns ships.' }),
      ...ending(taskUUID),
    ]);
    const { events, error } = await run(origin);
    expect(error).toBeUndefined();
    expect(partials(events).join('')).toBe('A lighthouse warns ships.');
    expect(partials(events)).toEqual(['A light', '', 'house', ' warns ships.']);
    expect(events.at(-1)).toMatchObject({ type: 'result', item: { text: 'A lighthouse warns ships.', reasoningContent: 'Ships.' } });
  });

  it('fails with a ProtocolError, after the pieces it had delivered, when the second stream says other words', async () => {
    const origin = await cutThenRestream(['A light'], (taskUUID) => [piece(taskUUID, { text: 'A dark' }), piece(taskUUID, { text: 'house' }), ...ending(taskUUID)]);
    const { events, error } = await run(origin);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'protocol', retryable: false, sent: true, taskUUID: expect.any(String) });
    expect(partials(events)).toEqual(['A light']);
    expect(events.some((e) => e.type === 'result')).toBe(false);
  });

  it('fails with a ProtocolError, not an answer joined on a guess, when the second stream goes on from where the first was cut: nothing marks a resumption', async () => {
    const origin = await cutThenRestream(['A light'], (taskUUID) => [piece(taskUUID, { text: 'house' }), piece(taskUUID, { text: ' warns ships.' }), ...ending(taskUUID)]);
    const { events, error } = await run(origin);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'protocol', retryable: false, sent: true });
    expect(partials(events)).toEqual(['A light']);
    expect(events.some((e) => e.type === 'result')).toBe(false);
  });

  it('fails with a ProtocolError when the second stream ends before it said all that was delivered', async () => {
    const origin = await cutThenRestream(['A ', 'light'], (taskUUID) => [piece(taskUUID, { text: 'A ' }), ...ending(taskUUID)]);
    const { events, error } = await run(origin);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(partials(events)).toEqual(['A ', 'light']);
    expect(events.some((e) => e.type === 'result')).toBe(false);
  });
});
