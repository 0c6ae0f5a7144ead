/**
 * The floor: a hand-written client of the same protocol over `ws`, as simple as it can be.
 * Authentication frame first; then one frame per task; a Map from taskUUID to its resolver;
 * videos polled with `getResponse` on a fixed schedule. No batching, no validation, no retries,
 * no reconnection: whatever runware-rx or the official SDK cost on top of this is their overhead.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { BenchClient, ClientFactory } from './types.js';
import { IMAGE_PARAMS, TEXT_PARAMS, VIDEO_PARAMS } from './types.js';

/** The raw client's fixed video poll period (also the reference schedule of the video target). */
export const RAW_POLL_INTERVAL_MS = 300;

interface Item {
  readonly taskUUID?: string;
  readonly taskType?: string;
  readonly status?: string;
  readonly imageUUID?: string;
  readonly videoUUID?: string;
  readonly code?: string;
  readonly message?: string;
}

interface Pending {
  readonly resolve: (items: Item[]) => void;
  readonly reject: (error: Error) => void;
  /** Called with every data item of this taskUUID. */
  readonly onItem: (item: Item) => void;
}

export const createRawClient: ClientFactory = ({ url, apiKey, pollEveryMs }): BenchClient => {
  let socket: WebSocket | undefined;
  const pending = new Map<string, Pending>();
  const timers = new Set<NodeJS.Timeout>();

  const failAll = (error: Error): void => {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  };

  const submit = (task: Record<string, unknown>, onItem: (item: Item, done: Pending) => void): Promise<Item[]> =>
    new Promise<Item[]>((resolve, reject) => {
      const taskUUID = task['taskUUID'] as string;
      const entry: Pending = {
        resolve: (items) => {
          pending.delete(taskUUID);
          resolve(items);
        },
        reject: (error) => {
          pending.delete(taskUUID);
          reject(error);
        },
        onItem: (item) => onItem(item, entry),
      };
      pending.set(taskUUID, entry);
      socket!.send(JSON.stringify([task]));
    });

  return {
    connect: () =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(url, { perMessageDeflate: false });
        socket = ws;
        let authenticated = false;
        ws.on('open', () => ws.send(JSON.stringify([{ taskType: 'authentication', apiKey }])));
        ws.on('error', (error) => (authenticated ? failAll(error) : reject(error)));
        ws.on('close', () => {
          if (!authenticated) reject(new Error('closed before authentication'));
          failAll(new Error('connection closed'));
        });
        ws.on('message', (raw) => {
          const frame = JSON.parse(raw.toString()) as { data?: Item[]; errors?: Item[] };
          for (const item of frame.errors ?? []) {
            if (item.taskUUID === undefined) {
              if (!authenticated) reject(new Error(`${item.code}: ${item.message}`));
              continue;
            }
            pending.get(item.taskUUID)?.reject(new Error(`${item.code}: ${item.message}`));
          }
          for (const item of frame.data ?? []) {
            if (item.taskType === 'authentication') {
              authenticated = true;
              resolve();
            } else if (item.taskUUID !== undefined) pending.get(item.taskUUID)?.onItem(item);
          }
        });
      }),

    image: () =>
      submit({ taskType: 'imageInference', taskUUID: randomUUID(), ...IMAGE_PARAMS }, (item, done) => {
        if (item.imageUUID !== undefined) done.resolve([item]);
      }),

    video: (request) => {
      const taskUUID = request?.taskUUID ?? randomUUID();
      const params = request === undefined ? VIDEO_PARAMS : { ...VIDEO_PARAMS, model: request.model, duration: request.duration };
      let acknowledged: number | undefined;
      let polls = 0;
      const send = (): void => {
        if (pending.has(taskUUID)) socket!.send(JSON.stringify([{ taskType: 'getResponse', taskUUID }]));
      };
      const later = (ms: number, work: () => void): void => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          work();
        }, ms);
        timers.add(timer);
      };
      // A fixed grid from the acknowledgement: poll k at ack + k × pollEveryMs, whatever the answers.
      const onGrid = (): void => {
        polls += 1;
        const next = acknowledged! + polls * pollEveryMs!;
        later(Math.max(0, next - performance.now()), () => {
          send();
          if (pending.has(taskUUID)) onGrid();
        });
      };
      return submit({ taskType: 'videoInference', taskUUID, deliveryMethod: 'async', ...params }, (item, done) => {
        if (item.status === 'success') done.resolve([item]);
        else if (item.status === 'error') done.reject(new Error(`video failed: ${item.code}`));
        else if (pollEveryMs === undefined) later(RAW_POLL_INTERVAL_MS, send); // the acknowledgement, or a `processing` answer: ask again later
        else if (acknowledged === undefined) {
          acknowledged = performance.now();
          onGrid();
        }
      });
    },

    // The floor of a stream: fetch, read the body, split events at blank lines, join the pieces.
    text: async (onPiece) => {
      const response = await fetch(url.replace(/^ws/, 'http'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify([{ taskType: 'textInference', taskUUID: randomUUID(), deliveryMethod: 'stream', ...TEXT_PARAMS }]),
      });
      if (response.body === null) throw new Error(`HTTP ${response.status} without a body`);
      const decoder = new TextDecoder();
      let buffered = '';
      let text = '';
      const reader = response.body.getReader();
      let done = false;
      for (;;) {
        const read = await reader.read();
        if (read.done) break;
        const { value } = read;
        buffered += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          if (!event.startsWith('data: ')) continue;
          const data = event.slice(6);
          // Read to the end of the body, so that the connection goes back to the pool.
          if (data === '[DONE]') {
            done = true;
            continue;
          }
          const piece = (JSON.parse(data) as { delta?: { text?: string } }).delta?.text;
          if (piece !== undefined) {
            text += piece;
            onPiece();
          }
        }
      }
      if (!done) throw new Error('the stream ended before [DONE]');
      return text;
    },

    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const ws = socket;
      socket = undefined;
      if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000);
        ws.once('close', () => {
          clearTimeout(force);
          resolve();
        });
        ws.close();
      });
    },
  };
};
