import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { request } from 'node:http';
import type { RelayServer } from './support.js';

/*
 * A page's HTTP requests to the relay, as runware-rx sends them to its `httpUrl` (the socket's
 * path over http): for the tests that need to send what runware-rx itself would refuse to.
 */

/** A streamed textInference as a page asks for it. */
export const TEXT = { model: 'google:gemma@4-31b', messages: [{ role: 'user' as const, content: 'What is a lighthouse for?' }], seed: 11, deliveryMethod: 'stream' as const };

/** The HTTP endpoint of a relay server: its socket's path over http. */
export const httpOf = (server: RelayServer): string => server.url.replace(/^ws/, 'http');

/** A streamed textInference task under a fresh taskUUID, with fields over the defaults. */
export const textTask = (fields: Readonly<Record<string, unknown>> = {}): Record<string, unknown> => ({ taskType: 'textInference', taskUUID: randomUUID(), ...TEXT, ...fields });

/** What the relay answered to one POST. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON (undefined when it is not). */
  readonly json: { readonly data?: Record<string, unknown>[]; readonly errors?: Record<string, unknown>[]; readonly error?: unknown } | undefined;
}

/**
 * POSTs tasks to the relay with a token (none when `undefined`) and reads the whole answer.
 *
 * @param server The relay.
 * @param token The page's token.
 * @param tasks The body (serialised unless it is a string).
 * @param headers Headers besides the token and the content type.
 */
export async function post(server: RelayServer, token: string | undefined, tasks: unknown, headers: Readonly<Record<string, string>> = {}): Promise<Answer> {
  const response = await fetch(httpOf(server), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
    body: typeof tasks === 'string' ? tasks : JSON.stringify(tasks),
  });
  const text = await response.text();
  let json: Answer['json'];
  try {
    json = JSON.parse(text) as Answer['json'];
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The `data:` payloads of an event-stream text, in order. */
export const eventsOf = (text: string): string[] =>
  text
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n'))
    .filter((data) => data !== '');

/** How a request through a {@link Tap} ended: answered to the end, or closed by the relay before. */
export type TapEnd = 'finished' | 'cut';

/** A pass-through in front of the simulator's HTTP endpoint, which the relay's `httpUrl` names. */
export interface Tap {
  readonly url: string;
  /** The taskType of each request, in order. */
  readonly taskTypes: string[];
  /** How each request ended, in order (a request still under way is not there yet). */
  readonly ends: TapEnd[];
  /** Cuts the next streamed answer as the simulator's first `delta` goes through (the network breaking mid-stream). */
  cutNextStream(): void;
}

/**
 * Serves a tap on loopback: each POST goes on to `${target}/v1` as it came, and its answer back,
 * so that a test can see that the relay stopped a request (its connection closed before the
 * answer ended) and can break a stream off.
 *
 * @param serve A loopback server of the test file (test/support/loopback-http.ts).
 * @param target The simulator's HTTP base.
 */
export async function tap(serve: (listener: RequestListener) => Promise<string>, target: string): Promise<Tap> {
  const taskTypes: string[] = [];
  const ends: TapEnd[] = [];
  let cut = false;
  const origin = await serve((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', () => {
      const body = Buffer.concat(chunks);
      const [task] = JSON.parse(body.toString('utf8')) as Record<string, unknown>[];
      taskTypes.push(String(task?.['taskType']));
      const onward = request(`${target}/v1`, { method: 'POST', headers: { ...incoming.headers, host: new URL(target).host } }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        const cutting = cut && task?.['deliveryMethod'] === 'stream';
        if (cutting) cut = false;
        answer.on('data', (chunk: Buffer) => {
          // Cut once the piece has left, as a network that breaks after it would.
          if (cutting && chunk.toString('utf8').includes('"delta"')) response.write(chunk, () => response.destroy());
          else response.write(chunk);
        });
        answer.once('end', () => response.end());
      });
      onward.end(body);
      response.once('close', () => {
        ends.push(response.writableFinished ? 'finished' : 'cut');
        onward.destroy();
      });
    });
  });
  return { url: `${origin}/v1`, taskTypes, ends, cutNextStream: () => void (cut = true) };
}
