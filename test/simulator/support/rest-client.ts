import type { Item } from './raw-client.js';

/** A REST reply as a test reads it: status, headers and the parsed JSON body. */
export interface RestResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: { data?: Item[]; errors?: Item[]; error?: Item };
}

/** Options of {@link post}. */
export interface PostOptions {
  /** Sent as `Authorization: Bearer <key>`; `null` sends no header. Default `test-key`. */
  readonly key?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** POSTs a body (tasks as a JSON array, or a string verbatim) to `<httpUrl>/v1` with fetch, as any HTTP client would. */
export const postRaw = (httpUrl: string, body: readonly unknown[] | string, { key = 'test-key', headers = {}, signal }: PostOptions = {}): Promise<Response> =>
  fetch(`${httpUrl}/v1`, {
    method: 'POST',
    ...(signal === undefined ? {} : { signal }),
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** POSTs and reads the JSON reply (it must be JSON, whatever the status). */
export const post = async (httpUrl: string, body: readonly unknown[] | string, options?: PostOptions): Promise<RestResult> => {
  const response = await postRaw(httpUrl, body, options);
  expectJson(response);
  return { status: response.status, headers: response.headers, body: (await response.json()) as RestResult['body'] };
};

const expectJson = (response: Response): void => {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/json')) throw new Error(`expected a JSON reply, got ${response.status} ${type}`);
};

/** One Server-Sent Events line group: a `data:` payload (parsed unless `[DONE]`), or a `:` comment. */
export type SseEvent = { readonly comment: string } | { readonly data: Item } | { readonly done: true };

/** Parses a whole event-stream text into its events, in order (blank lines separate them). */
export const parseEvents = (text: string): SseEvent[] =>
  text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block): SseEvent => {
      if (block.startsWith(':')) return { comment: block.slice(1).trim() };
      if (!block.startsWith('data: ')) throw new Error(`not an SSE event: ${JSON.stringify(block)}`);
      const payload = block.slice('data: '.length);
      return payload === '[DONE]' ? { done: true } : { data: JSON.parse(payload) as Item };
    });

/** POSTs and reads an event-stream reply to its end. */
export const postStream = async (httpUrl: string, body: readonly unknown[], options?: PostOptions): Promise<{ status: number; headers: Headers; events: SseEvent[] }> => {
  const response = await postRaw(httpUrl, body, options);
  return { status: response.status, headers: response.headers, events: parseEvents(await response.text()) };
};

/** Polls getResponse over HTTP until `done` holds, a bounded number of times, `intervalMs` apart. */
export const pollRest = async (httpUrl: string, taskUUID: string, done: (result: RestResult) => boolean, { intervalMs = 50, attempts = 400 } = {}): Promise<RestResult[]> => {
  const results: RestResult[] = [];
  for (let attempt = 0; attempt < attempts; attempt++) {
    const result = await post(httpUrl, [{ taskType: 'getResponse', taskUUID }]);
    results.push(result);
    if (done(result)) return results;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`getResponse for ${taskUUID} never settled; last ${JSON.stringify(results.at(-1)?.body)}`);
};
