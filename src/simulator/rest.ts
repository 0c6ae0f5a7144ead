import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptsKey } from './auth.js';
import { decodeFrame } from './decode-frame.js';
import type { SimulatorEnv } from './env.js';
import { invalidApiKey, invalidFrame, missingApiKey } from './errors.js';
import type { EventStream } from './event-stream.js';
import { openExchange, type HttpExchange } from './http-exchange.js';
import { isRecord } from './is-record.js';
import { queryFlag } from './request-path.js';
import { readBody } from './rest-body.js';
import { createRestReply, sendJson } from './rest-reply.js';
import { createSession, type Session } from './session.js';
import { submitTask } from './submit-task.js';
import type { ErrorItem, TaskObject } from './types.js';

/** Handles `POST /v1` (and answers other methods there). */
export type RestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** `Authorization: Bearer <key>` → the key; anything else → undefined. */
const bearerKey = (header: string | undefined): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];

const isAuthentication = (task: unknown): task is TaskObject => isRecord(task) && task['taskType'] === 'authentication';

/** A lone textInference asking to stream is the one request answered as Server-Sent Events (§10.4). */
const wantsStream = (tasks: readonly unknown[]): boolean => {
  if (tasks.length !== 1) return false;
  const [task] = tasks;
  return isRecord(task) && task['taskType'] === 'textInference' && typeof task['deliveryMethod'] === 'string' && task['deliveryMethod'].toLowerCase() === 'stream';
};

/** A dry run over HTTP (§10.6, unconfirmed): the header `X-Runware-Dry-Run: 1`, or `?dryRun=1` as on the socket. */
const isDryRun = (request: IncomingMessage): boolean => {
  const header = request.headers['x-runware-dry-run'];
  return (typeof header === 'string' && /^(1|true)$/i.test(header.trim())) || queryFlag(request.url, 'dryRun');
};

/**
 * Why a request may not run, if it may not: every key it carries (the `Authorization: Bearer`
 * header, the `apiKey` of authentication elements, protocol §2.3) must be accepted, and it must
 * carry one. The error is the WebSocket's, under both spellings as there (§10.1).
 */
const refusedKey = (request: IncomingMessage, elements: readonly unknown[], env: SimulatorEnv): ErrorItem | undefined => {
  const keys: unknown[] = [];
  const header = request.headers.authorization;
  if (header !== undefined) keys.push(bearerKey(header) ?? '');
  for (const element of elements) if (isAuthentication(element)) keys.push(element['apiKey']);
  if (keys.length === 0 || keys.every((key) => key === undefined)) return missingApiKey();
  return keys.every((key) => acceptsKey(env, key)) ? undefined : invalidApiKey();
};

/**
 * The REST transport (protocol §2.3, §10.4): `POST /v1` with a JSON array of tasks, answered by
 * one `{ data, errors }` body once every task has said all its submitter waits for (sync results,
 * async acks; `submitTask` and the task code say when), or, for a lone streaming textInference,
 * by Server-Sent Events. Tasks run exactly as on the WebSocket (`submitTask`: same handlers,
 * validation, accounting, latency and fault hooks) under a session of the transport's own per
 * HTTP connection, which carries the latency draws (so a client on its own keep-alive connection
 * gets the same sequence of latencies as every other, as a socket's session does) and names REST
 * in fault logs; there is no session to resume,
 * no ping and no replay. The HTTP status follows the reply (`rest-status.ts`); the body is JSON always.
 *
 * @param env The simulator.
 * @returns The route handler.
 */
export const createRestHandler = (env: SimulatorEnv): RestHandler => {
  /** A session per HTTP connection: what a socket's session is to its latency draws. */
  const sessions = new WeakMap<object, Session>();
  const sessionOf = (request: IncomingMessage): Session => {
    let session = sessions.get(request.socket);
    if (session === undefined) sessions.set(request.socket, (session = createSession()));
    return session;
  };

  const run = (request: IncomingMessage, exchange: HttpExchange, text: string): void => {
    const decoded = decodeFrame(text);
    if (!decoded.ok) return exchange.reply({ errors: [decoded.error] });
    const elements = decoded.tasks;
    const shareBytes = text.length / Math.max(1, elements.length);
    for (const element of elements) if (isAuthentication(element)) env.stats.taskReceived(element, 'authentication', shareBytes);
    const refused = refusedKey(request, elements, env);
    if (refused !== undefined) return exchange.reply({ errors: [refused], error: refused });

    const tasks = elements.filter((element) => !isAuthentication(element));
    const stream: EventStream | undefined = wantsStream(tasks) ? exchange.openStream() : undefined;
    const reply = createRestReply();
    let waiting = tasks.length;
    const settle = () => {
      if (--waiting === 0 && !stream?.started) exchange.reply(reply.close());
    };
    if (waiting === 0) return exchange.reply(reply.close());
    const dryRun = isDryRun(request);

    for (const task of tasks) {
      let answered = false;
      const done = () => {
        if (answered) return;
        answered = true;
        settle();
      };
      if (!isRecord(task)) {
        reply.push({ errors: [invalidFrame('invalidPayload', 'Each element of the array must be a task object.')] });
        done();
        continue;
      }
      const taskType = typeof task['taskType'] === 'string' ? task['taskType'] : '';
      env.stats.taskReceived(task, taskType, shareBytes);
      if (taskType === 'ping') {
        reply.push({ data: [{ taskType: 'ping', pong: true }] });
        done();
        continue;
      }
      try {
        submitTask(task, taskType, env, { session: exchange.session, dryRun, push: reply.push, answered: done, stream }, shareBytes);
      } catch (error) {
        // A simulator bug answers its task with a server error; the other tasks still run.
        env.options.log(`[rest] task handler threw: ${error instanceof Error ? error.stack : String(error)}`);
        const taskUUID = typeof task['taskUUID'] === 'string' ? task['taskUUID'] : undefined;
        reply.push({ errors: [{ code: 'internalServerError', message: 'Internal server error. Please retry the request.', taskType, ...(taskUUID === undefined ? {} : { taskUUID }) }] });
        done();
      }
    }
  };

  return (request, response) => {
    if (request.method !== 'POST') {
      request.resume();
      return sendJson(response, 405, { errors: [invalidFrame('invalidPayload', 'POST a JSON array of tasks to /v1 (or open a WebSocket there).')] }, { allow: 'POST, OPTIONS' });
    }
    void readBody(request).then((body) => {
      if (body.ok) {
        // From here on the request is a wire the fault hooks see (an HTTP exchange): read through them, answered through them.
        const exchange = openExchange(response, sessionOf(request), env);
        return exchange.receive(body.text, (text) => run(request, exchange, text));
      }
      if (body.reason === 'aborted') return void response.destroy();
      // Refused before the rest is read: the connection closes once the answer is out.
      response.once('finish', () => request.destroy());
      sendJson(response, 413, { errors: [invalidFrame('invalidPayload', 'The request body is larger than the simulator reads (100 MiB).')] }, { connection: 'close' });
    });
  };
};
