import type { SimulatorEnv } from '../env.js';
import type { EventStream } from '../event-stream.js';
import type { Session } from '../session.js';
import type { OutboundFrame, TaskObject } from '../types.js';

/** What a handler gets besides the raw task: its checked identity and where to send replies. */
export interface TaskContext {
  readonly env: SimulatorEnv;
  /** The session that submitted the task; results follow it across reconnects. */
  readonly session: Session;
  readonly taskType: string;
  /** Already checked to be a UUID v4. */
  readonly taskUUID: string;
  /** The task as received (what `getTaskDetails` archives). */
  readonly task: TaskObject;
  /** The task's share of its frame's length, in characters: how much keeping it by reference costs. */
  readonly shareBytes: number;
  /** Queues result, ack or error items for the submitter (see `Delivery.push`, `rest-reply.ts`). */
  push(frame: OutboundFrame): void;
  /**
   * Says the task has pushed all its submitter waits for: the ack of an async task, the last
   * result or error of a sync one. The REST transport ends its HTTP reply on it; the WebSocket
   * needs nothing. Called once, by the task code that pushes last (router, ack, generations).
   */
  answered(): void;
  /**
   * Present only when the task may be answered as Server-Sent Events: alone in a REST request
   * (protocol §10.4). Only textInference with `deliveryMethod: "stream"` uses it.
   */
  readonly stream?: EventStream | undefined;
}

/**
 * One task type's behaviour, in three steps the router drives: validate like the API (`parse`,
 * which throws a `ParamError` naming the first bad parameter), price (`price`: what a dry run
 * answers, and what the account is charged), then answer sync, async, or both (`run`). A task
 * that fails `parse` is answered with its error and forgotten; a dry run stops after `price`.
 *
 * @typeParam P The validated parameters.
 */
export interface TaskHandler<P> {
  /**
   * True when the task's taskUUID names a new task (so reusing a known one is a conflict);
   * false for lookups such as `getResponse`, whose taskUUID names an existing task.
   */
  readonly createsTask: boolean;
  parse(task: TaskObject, context: TaskContext): P;
  /** The task's price in USD (0 for lookups). */
  price(params: P): number;
  run(params: P, context: TaskContext): void;
}

/** A handler whose parameter type is erased, as the registry holds them. */
export interface AnyTaskHandler {
  readonly createsTask: boolean;
  parse(task: TaskObject, context: TaskContext): unknown;
  price(params: unknown): number;
  run(params: unknown, context: TaskContext): void;
}

/**
 * Declares a handler, keeping its parameter type inside and erasing it outside: the router only
 * ever hands `run` and `price` what the same handler's `parse` returned.
 *
 * @param handler The handler.
 * @returns The same handler, as the registry holds it.
 */
// Methods are bivariant in their parameters, so a TaskHandler<P> is an AnyTaskHandler as it is.
export const defineHandler = <P>(handler: TaskHandler<P>): AnyTaskHandler => handler;
