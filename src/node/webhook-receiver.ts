import type { IncomingMessage, ServerResponse } from 'node:http';
import { Subject, type Observable } from 'rxjs';
import { isRunwareError } from '../errors/guards.js';
import { readWebhookBody, type WebhookItem } from './webhook-body.js';
import { createWebhookInbox, type WebhookInbox } from './webhook-inbox.js';

/** Options of {@link createWebhookReceiver}; all optional. */
export interface WebhookReceiverOptions {
  /**
   * Whether a request may deliver. Runware authenticates a webhook only by what its URL carries (a
   * query token you put in `webhookURL`), so check that here; a refused request is answered 401
   * and its body not read. Default: every request may.
   */
  readonly authorize?: ((request: IncomingMessage) => boolean) | undefined;
  /** The largest body read, in bytes; a larger one is answered 413. Default 64 MiB (a result may carry base64 media). */
  readonly maxBodyBytes?: number | undefined;
  /** Where the keys of items seen are kept. Default: a new {@link createWebhookInbox}. */
  readonly inbox?: WebhookInbox | undefined;
}

/** A webhook endpoint for `node:http`: a request listener, and the items it received. */
export interface WebhookReceiver {
  /**
   * The request listener: `http.createServer(receiver.handler)`, or mounted where a framework
   * hands over Node's request and response with the body not yet read. Answers 204 once the
   * body's new items were emitted, 400 to a body that is not Runware's (nothing emitted), 401,
   * 405 to other methods than POST, 413, and 503 while nothing subscribes to `items$`, so that
   * Runware delivers again later instead of the item being lost.
   */
  readonly handler: (request: IncomingMessage, response: ServerResponse) => void;
  /**
   * Each new item, once: retried POSTs of an item already emitted are answered 204 and not
   * emitted again. Hot: items are emitted to whoever is subscribed when they arrive.
   */
  readonly items$: Observable<WebhookItem>;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

const answer = (response: ServerResponse, status: number, body?: string, headers: Record<string, string> = {}): void => {
  if (response.headersSent) return;
  if (body === undefined) response.writeHead(status, headers).end();
  else response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: body }));
};

/**
 * Creates a webhook receiver for `node:http`: it reads each POST with {@link readWebhookBody},
 * drops the items its inbox has seen (Runware retries, so duplicates are normal), emits the others
 * on `items$` and answers 2xx at once, within Runware's 5 s.
 *
 * @param options Authorisation, body limit, inbox.
 * @returns The request listener and the items.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createWebhookReceiver } from 'runware-rx/node';
 *
 * const receiver = createWebhookReceiver({ authorize: (request) => new URL(request.url ?? '', 'http://x').searchParams.get('token') === TOKEN });
 * receiver.items$.subscribe((item) => {
 *   if (item.type === 'result' && item.taskType === 'imageInference') console.log(item.result.imageURL);
 *   if (item.type === 'error') console.error(item.error.code, item.error.message);
 * });
 * createServer(receiver.handler).listen(8080);
 * ```
 */
export function createWebhookReceiver(options: WebhookReceiverOptions = {}): WebhookReceiver {
  const { authorize, maxBodyBytes = DEFAULT_MAX_BODY_BYTES, inbox = createWebhookInbox() } = options;
  const items = new Subject<WebhookItem>();

  const deliver = (body: Buffer, response: ServerResponse) => {
    let read: WebhookItem[];
    try {
      read = readWebhookBody(body);
    } catch (error) {
      // Any other error is runware-rx's fault, not the sender's: 500, and Runware tries again.
      return isRunwareError(error) ? answer(response, 400, error.message) : answer(response, 500, 'The body could not be read.');
    }
    // Checked once the body is in, so a subscriber that came meanwhile gets it; the inbox is
    // not told of items nobody took, so the retry that follows the 503 is taken.
    if (!items.observed) return answer(response, 503, 'Nothing is receiving webhooks yet.', { 'retry-after': '1' });
    for (const item of read) if (inbox.admit(item)) items.next(item);
    answer(response, 204);
  };

  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    if (request.method !== 'POST') {
      request.resume();
      return answer(response, 405, 'Webhooks are POSTed.', { allow: 'POST' });
    }
    if (authorize !== undefined && !authorize(request)) {
      request.resume();
      return answer(response, 401, 'Not authorised.');
    }
    const declared = Number(request.headers['content-length']);
    const tooLarge = () => {
      // The rest is not read: the connection is closed once the answer is out.
      answer(response, 413, `The body is over ${maxBodyBytes} bytes.`, { connection: 'close' });
      response.once('finish', () => request.destroy());
    };
    if (declared > maxBodyBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        request.removeAllListeners('data');
        request.removeAllListeners('end');
        request.pause();
        return tooLarge();
      }
      chunks.push(chunk);
    });
    request.on('end', () => deliver(Buffer.concat(chunks), response));
    // A sender that went away mid-body: nothing to answer, nothing emitted.
    request.on('error', () => {});
  };

  return { handler, items$: items.asObservable() };
}
