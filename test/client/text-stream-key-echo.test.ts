import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { RunwareError, createRunware } from 'runware-rx';
import { loopbackHttp } from '../support/loopback-http.js';

/*
 * The key never reaches an error a streamed textInference rejects with, even when the server
 * echoes it back in its answer: a JSON refusal, an error event in the stream, or a failed item.
 * The socket's line has always cleaned such answers; the HTTP line is held to the same rule.
 */

const KEY = 'echoed-key-0123456789abcdefghij';

const request = { model: 'google:gemma@4-31b', messages: [{ role: 'user' as const, content: 'What is a lighthouse for?' }], deliveryMethod: 'stream' as const };

const serve = loopbackHttp();

/** Answers each POST with what `answer` writes, given the bearer token the request carried and its taskUUID. */
const echoing =
  (answer: (response: ServerResponse, token: string, taskUUID: string) => void) =>
  (incoming: IncomingMessage, response: ServerResponse): void => {
    let body = '';
    incoming.on('data', (chunk) => (body += String(chunk)));
    incoming.on('end', () => {
      const token = String(incoming.headers.authorization ?? '').replace(/^Bearer /, '');
      const [task] = JSON.parse(body) as { taskUUID: string }[];
      answer(response, token, task!.taskUUID);
    });
  };

/** What the request rejected with, and everything in it written out (message, fields, details, cause, stack). */
async function rejection(answer: (response: ServerResponse, token: string, taskUUID: string) => void): Promise<{ error: RunwareError; written: string }> {
  const origin = await serve(echoing(answer));
  const runware = createRunware({ apiKey: KEY, url: `${origin.replace('http', 'ws')}/v1`, httpUrl: `${origin}/v1`, maxRetries: 0 });
  try {
    const error: unknown = await runware.textInference(request).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(RunwareError);
    const failure = error as RunwareError;
    const written = JSON.stringify({ ...failure, message: failure.message, stack: failure.stack, cause: String(failure.cause), details: failure.details });
    return { error: failure, written };
  } finally {
    await runware.disconnect();
  }
}

describe('a streamed textInference whose server echoes the key', () => {
  it('rejects a JSON refusal that quotes the key without the key', async () => {
    const { error, written } = await rejection((response, token) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ code: 'invalidApiKey', message: `Invalid API key: ${token}`, parameter: 'apiKey' }] }));
    });
    expect(error.code).toBe('auth');
    expect(error.message).toContain('Invalid API key');
    expect(written).not.toContain(KEY);
  });

  it('rejects an error event of the stream that quotes the key without the key', async () => {
    const { error, written } = await rejection((response, token, taskUUID) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify({ errors: [{ code: 'providerError', message: `upstream refused key ${token}`, taskUUID, taskType: 'textInference' }] })}\n\n`);
      response.end();
    });
    expect(error.message).toContain('upstream refused key');
    expect(written).not.toContain(KEY);
  });

  it('rejects a failed item that quotes the key without the key', async () => {
    const { error, written } = await rejection((response, token, taskUUID) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: [{ taskType: 'textInference', taskUUID, status: 'error', message: `the key ${token} is not allowed this model` }] }));
    });
    expect(error.message).toContain('is not allowed this model');
    expect(written).not.toContain(KEY);
  });
});
