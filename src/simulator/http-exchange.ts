import type { ServerResponse } from 'node:http';
import type { SimulatorEnv } from './env.js';
import { createEventStream, type EventStream } from './event-stream.js';
import { REST_CORS, sendJsonText, sendReply } from './rest-reply.js';
import type { Session } from './session.js';
import type { OutboundFrame } from './types.js';
import type { WireBase } from './wire.js';

/**
 * One REST request awaiting its answer, as the fault injection sees it: a wire, as a socket is
 * (`wire.ts`). Its body is read through the `inbound` hook, its JSON answer (or each `data:` event
 * of its stream) is written through the `outbound` hook, and the one-shot faults find it among
 * the live wires from when its body is read until it is answered in full or cut. HTTP differs
 * from a socket in one way that matters here: a request has one answer, so injected output takes
 * the answer's place (a JSON reply) or joins it (an event stream under way).
 */
export interface HttpExchange extends WireBase {
  readonly transport: 'http';
  readonly session: Session;
  /** Hands the request's body to `run`, through the `inbound` hook (which may hold, drop or freeze it). */
  receive(text: string, run: (text: string) => void): void;
  /** Answers with a JSON body and the status it calls for (`rest-status.ts`); the first answer wins. */
  reply(body: OutboundFrame): void;
  /** The event stream that answers this request instead (a lone streaming textInference). */
  openStream(): EventStream;
}

/**
 * Opens the exchange of a request whose body has been read.
 *
 * @param response Where its answer goes.
 * @param session The session of its HTTP connection.
 * @param env The simulator (its hooks and stream registry).
 * @returns The exchange, already known to the hooks (`opened`; `closed` once the response closes).
 */
export const openExchange = (response: ServerResponse, session: Session, env: SimulatorEnv): HttpExchange => {
  const { hooks } = env;
  /** The body was handed to the tasks (not held, dropped or frozen unread). */
  let read = false;
  let frozen = false;
  /** An answer was written (or the connection cut): any later one is dropped. */
  let answered = false;
  /** The answer that came while frozen: it leaves on the thaw. */
  let held: OutboundFrame | undefined;
  let stream: EventStream | undefined;
  const gone = () => response.destroyed || response.writableEnded;
  const streaming = () => stream?.started === true;

  const writeJson = (body: OutboundFrame) => {
    if (answered || gone()) return;
    answered = true;
    sendReply(response, body);
  };
  const emit = (body: OutboundFrame) => {
    if (hooks.outbound) hooks.outbound(exchange, body, writeJson);
    else writeJson(body);
  };

  const exchange: HttpExchange = {
    transport: 'http',
    session,
    isOpen: () => !frozen && !gone() && (streaming() ? stream!.open : !answered),
    isGone: gone,
    isFrozen: () => frozen,
    receive(text, run) {
      const next = (message: string) => {
        read = true;
        run(message);
      };
      if (hooks.inbound) hooks.inbound(exchange, text, next);
      else next(text);
    },
    reply(body) {
      if (answered || gone()) return;
      if (frozen) held = body;
      else emit(body);
    },
    openStream() {
      stream ??= createEventStream(response, REST_CORS, env.streams, (payload, write) => {
        if (hooks.outbound) hooks.outbound(exchange, { data: [payload] }, write);
        else write();
      });
      return stream;
    },
    // Injected output: into a stream under way as an event of its own, as a socket's extra
    // frame; otherwise in the place of the answer, which has nowhere else to go.
    sendText(text) {
      if (frozen || gone()) return;
      if (streaming()) return stream!.sendText(text);
      if (answered) return;
      answered = true;
      // A body that says it is JSON and is not: what a client's parser meets (§6.4, parseError).
      sendJsonText(response, 200, text);
    },
    inject(frame) {
      if (frozen || gone()) return;
      if (streaming()) return stream!.sendFrame(frame);
      writeJson(frame);
    },
    terminate() {
      answered = true;
      response.destroy();
    },
    setFrozen(value) {
      if (value === frozen) return;
      frozen = value;
      if (frozen) return stream?.pause();
      // A body frozen before it was read never ran: nothing can answer it, so its connection is
      // reset, and a client's retry is safe.
      if (!read) return exchange.terminate();
      stream?.resume();
      const body = held;
      held = undefined;
      if (body !== undefined) emit(body);
    },
  };
  hooks.opened?.(exchange);
  response.once('close', () => hooks.closed?.(exchange));
  return exchange;
};
