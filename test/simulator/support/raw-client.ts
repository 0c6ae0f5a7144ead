import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import WebSocket from 'ws';
import { createWaiters } from '../../support/waiters.js';

/** A JSON object item of a server frame (`data` or `errors` element). */
export type Item = Record<string, unknown>;

/** A server frame as received; a message that is not JSON is kept verbatim in `raw`. */
export interface Frame {
  readonly data?: Item[];
  readonly errors?: Item[];
  readonly raw?: string;
}

/** Parses a server message; fault injection sends garbage, which must not crash the client. */
const parseFrame = (text: string): Frame => {
  try {
    return JSON.parse(text) as Frame;
  } catch {
    return { raw: text };
  }
};

/** A bare `ws` client speaking the raw protocol, for tests that must not depend on the SDK. */
export interface RawClient {
  readonly socket: WebSocket;
  /** Every frame received so far, parsed, in order. */
  readonly frames: Frame[];
  /** The text of every frame received so far, as it came (what a parse would lose stays here). */
  readonly texts: string[];
  /** Sends tasks as a JSON array (strings are sent verbatim, to test malformed frames). */
  send(tasks: readonly unknown[] | string): void;
  /** Resolves with `probe()` as soon as it returns something other than undefined, re-checked on every frame. */
  until<T>(probe: () => T | undefined, timeoutMs?: number): Promise<T>;
  /** Waits for the first frame after `after` frames (default: the next one). */
  nextFrame(after?: number): Promise<Frame>;
  /** All data and error items received for a taskUUID, in arrival order. */
  itemsFor(taskUUID: string): { data: Item[]; errors: Item[] };
  /** Waits until `count` items (data + errors) have arrived for a taskUUID. */
  results(taskUUID: string, count?: number): Promise<{ data: Item[]; errors: Item[] }>;
  /** Resolves with the close code and reason once the socket has closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Opens a raw client; resolves once the socket is open. */
export const openClient = async (url: string): Promise<RawClient> => {
  const socket = new WebSocket(url);
  const frames: Frame[] = [];
  const texts: string[] = [];
  const { wake, until: waitUntil } = createWaiters();
  socket.on('message', (data) => {
    texts.push(String(data));
    frames.push(parseFrame(String(data)));
    wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      wake();
    });
  });
  await once(socket, 'open');

  const until = <T>(probe: () => T | undefined, timeoutMs = 5000) =>
    waitUntil(probe, timeoutMs, () => `timed out after ${timeoutMs} ms; frames so far: ${JSON.stringify(frames).slice(0, 1500)}`);

  const itemsFor = (taskUUID: string) => ({
    data: frames.flatMap((frame) => frame.data ?? []).filter((item) => item['taskUUID'] === taskUUID),
    errors: frames.flatMap((frame) => frame.errors ?? []).filter((item) => item['taskUUID'] === taskUUID),
  });

  return {
    socket,
    frames,
    texts,
    send: (tasks) => socket.send(typeof tasks === 'string' ? tasks : JSON.stringify(tasks)),
    until,
    nextFrame: (after = frames.length) => until(() => frames[after]),
    itemsFor,
    results: (taskUUID, count = 1) =>
      until(() => {
        const items = itemsFor(taskUUID);
        return items.data.length + items.errors.length >= count ? items : undefined;
      }),
    closed,
    async close() {
      if (socket.readyState !== WebSocket.CLOSED) socket.close();
      await closed;
    },
  };
};

const isAuthReply = (frame: Frame) =>
  frame.data?.[0]?.['taskType'] === 'authentication' || frame.errors?.some((item) => item['taskType'] === 'authentication');

/**
 * Authenticates and resolves with the session UUID; throws if the server refused. Stray frames
 * before the reply (injected garbage or unroutable errors) are skipped.
 */
export const authenticate = async (client: RawClient, apiKey = 'test-key', connectionSessionUUID?: string): Promise<string> => {
  const start = client.frames.length;
  client.send([{ taskType: 'authentication', apiKey, ...(connectionSessionUUID ? { connectionSessionUUID } : {}) }]);
  const frame = await client.until(() => client.frames.slice(start).find(isAuthReply));
  const item = frame.data?.[0];
  if (item?.['taskType'] !== 'authentication') throw new Error(`authentication failed: ${JSON.stringify(frame)}`);
  return String(item['connectionSessionUUID']);
};

/** Opens and authenticates a client. */
export const openAuthenticated = async (url: string, apiKey = 'test-key'): Promise<RawClient> => {
  const client = await openClient(url);
  await authenticate(client, apiKey);
  return client;
};

/** A fresh UUID v4 task id. */
export const taskUUID = (): string => randomUUID();

/** A valid imageInference task with small defaults; override any field. */
export const imageTask = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  taskType: 'imageInference',
  taskUUID: taskUUID(),
  model: 'runware:101@1',
  positivePrompt: 'a lighthouse on a cliff at dusk',
  width: 256,
  height: 192,
  ...overrides,
});

/** A valid videoInference task; override any field. */
export const videoTask = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  taskType: 'videoInference',
  taskUUID: taskUUID(),
  model: 'klingai:5@3',
  positivePrompt: 'waves rolling onto a beach',
  duration: 5,
  ...overrides,
});

const hasItemFor = (frame: Frame, taskUUID: string) =>
  [...(frame.data ?? []), ...(frame.errors ?? [])].some((item) => item['taskUUID'] === taskUUID);

/** Sends `getResponse` every `intervalMs` until `done(reply)`; resolves with every reply, in order. */
export const pollUntil = async (
  client: RawClient,
  taskUUID: string,
  done: (reply: Frame) => boolean,
  { intervalMs = 50, timeoutMs = 10_000 } = {},
): Promise<Frame[]> => {
  const replies: Frame[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = client.frames.length;
    client.send([{ taskType: 'getResponse', taskUUID }]);
    const reply = await client.until(() => client.frames.slice(before).find((frame) => hasItemFor(frame, taskUUID)));
    replies.push(reply);
    if (done(reply)) return replies;
    if (Date.now() > deadline) throw new Error(`polling ${taskUUID} timed out; last reply ${JSON.stringify(reply)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

/** True when every data item of a reply is a success and there is at least `count` of them. */
export const allSucceeded = (count: number) => (reply: Frame) =>
  (reply.data ?? []).filter((item) => item['status'] === 'success').length >= count;
