import { randomUUID } from 'node:crypto';
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
