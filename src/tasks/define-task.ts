import type { ErrorMessage, InferInput, ObjectEntries, StrictObjectIssue, StrictObjectSchema } from 'valibot';
import type { ValidationIssue } from '../errors/validation-error.js';
import type { DataItem } from '../protocol/frames.js';

/** A task's parameter schema: a strict object, so that a mistyped field is an error. */
export type TaskSchema = StrictObjectSchema<ObjectEntries, ErrorMessage<StrictObjectIssue> | undefined>;

/**
 * How the server delivers a task's results over the WebSocket:
 * - `push`: it sends each result as soon as it is ready (images, most tools);
 * - `poll`: it acknowledges the task, and results are fetched with `getResponse` (video, and any
 *   task sent with `deliveryMethod: "async"`);
 * - `stream`: it pushes intermediate items, then the final one (a model upload's phases).
 */
export type Delivery = 'push' | 'poll' | 'stream';

/**
 * How a task's result items are recognised in what the server sends. Pure functions of one item;
 * `@typeParam` only carries the item types for the client's method signatures.
 *
 * @typeParam TResult The result item.
 * @typeParam TPartial The intermediate item of a streamed task.
 */
export interface ResultReader<TResult = unknown, TPartial = never> {
  /**
   * The identity of a result (its output UUID: `imageUUID`, `videoUUID`, ...), used to drop
   * replayed duplicates. Absent for results without one (text): those are recognised by what
   * they say, and identical texts, which are legitimate, by how many of them came before.
   */
  readonly key?: ((item: DataItem) => string | undefined) | undefined;
  /** Whether an item without `status: "success"` is a finished result all the same. */
  readonly isResult: (item: DataItem) => boolean;
  /** Streamed tasks: whether an item is an intermediate one (a phase, a chunk). */
  readonly isPartial?: ((item: DataItem) => boolean) | undefined;
  /** Never set: carries the item types. */
  readonly types?: { readonly result: TResult; readonly partial: TPartial } | undefined;
}

/**
 * Everything runware-rx knows about one task type, in one place: the method names users call
 * it by, the wire `taskType`, the parameters, how results are delivered, counted and recognised,
 * and the defaults. A definition is data (no I/O); the client's methods, their types and the
 * engine's behaviour are all derived from it.
 *
 * @typeParam TName The method name (`imageInference`); `imageInference$` is its stream twin.
 * @typeParam TAlias Further method names (`image`, `requestImages`).
 * @typeParam TTaskType The wire `taskType`.
 * @typeParam TSchema The parameter schema; its input type is the parameter type.
 * @typeParam TResult The result item.
 * @typeParam TPartial The intermediate item of a streamed task.
 */
export interface TaskDefinition<
  TName extends string = string,
  TAlias extends string = string,
  TTaskType extends string = string,
  TSchema extends TaskSchema = TaskSchema,
  TResult = unknown,
  TPartial = unknown,
> {
  /** The method name. */
  readonly name: TName;
  /** Other method names for the same task (the official SDKs' names, short forms). */
  readonly aliases: readonly TAlias[];
  /** The wire `taskType`. */
  readonly taskType: TTaskType;
  /** Checks the caller's parameters; its input type is the public parameter type. */
  readonly params: TSchema;
  /**
   * How results arrive. A `push` or `stream` task sent with `deliveryMethod: "async"` is polled
   * instead; a `poll` task always is (its defaults say `deliveryMethod: "async"`).
   */
  readonly delivery: Delivery;
  /** Fields sent when the caller leaves them out. */
  readonly defaults?: Readonly<Record<string, unknown>> | undefined;
  /**
   * The parameter that says how many results a request makes (`numberResults`); absent for
   * tasks with one result. A failed task re-run under a new taskUUID asks for the missing ones.
   */
  readonly count?: string | undefined;
  /** How results are recognised and told apart. */
  readonly result: ResultReader<TResult, TPartial>;
  /**
   * The longest silence while a pushed or streamed task runs, in ms, when this task needs
   * another than the client's `answerTimeout` (a model upload downloads gigabytes between phases).
   */
  readonly answerTimeout?: number | undefined;
  /**
   * The whole-task deadline of this task type, in ms, when neither the request nor the client
   * sets a `timeout`: in place of the client's defaults (5 min pushed, 20 min polled) for a task
   * that outlasts them as a rule.
   */
  readonly timeout?: number | undefined;
  /**
   * The parameter holding the taskUUID the task is sent under, for tasks about another task
   * (`getTaskDetails`): they go under that task's taskUUID instead of a fresh one.
   */
  readonly targets?: string | undefined;
  /** Rules across fields (one of two fields is required, say), run once the fields themselves passed. */
  readonly check?: ((params: Readonly<Record<string, unknown>>) => readonly ValidationIssue[]) | undefined;
  /**
   * This task stores media and answers with a UUID for it (`mediaStorage`): the client uses it to
   * upload inputs larger than `uploadThreshold` first and send them by UUID.
   */
  readonly storesMedia?: { readonly field: string; readonly uuid: string; readonly defaults: Readonly<Record<string, unknown>> } | undefined;
  /**
   * Its media inputs are what it stores (`imageUpload`, `mediaStorage`): bytes go inline whatever
   * their size, since uploading them first would store them twice and send a UUID the task does
   * not take.
   */
  readonly inlineMedia?: true | undefined;
  /**
   * Media inputs the API takes only by reference, UUID or URL (`inputs.video` of the video
   * tools), by dotted path: bytes given there are uploaded first whatever their size.
   */
  readonly storedInputs?: readonly string[] | undefined;
}

/** Any task definition. */
// Results are only ever read out of a definition (covariant), so `unknown` is the top of them all.
export type AnyTask = TaskDefinition<string, string, string, TaskSchema, unknown, unknown>;

/** The parameters a task definition accepts. */
export type ParamsOf<D> = D extends TaskDefinition<string, string, string, infer S, unknown, unknown> ? InferInput<S> : never;

/** The result item a task definition produces. */
export type ResultOf<D> = D extends { readonly result: ResultReader<infer R, unknown> } ? R : never;

/** The intermediate item a streamed task definition produces (`never` for the others). */
export type PartialOf<D> = D extends { readonly result: ResultReader<unknown, infer U> } ? U : never;

/**
 * Declares a task type. A typed identity function, so that a definition keeps its literal names
 * and its item types for the client's method signatures.
 *
 * @param definition The task's names, schema, delivery and result rules.
 * @returns The same definition.
 *
 * @example
 * ```ts
 * const caption = defineTask({
 *   name: 'caption', aliases: ['imageCaption'], taskType: 'caption', delivery: 'push',
 *   params: v.strictObject({ inputImage: v.string() }),
 *   result: textResult<{ taskUUID: string; text: string }>('text'),
 * });
 * ```
 */
// @__NO_SIDE_EFFECTS__
export function defineTask<
  const TName extends string,
  const TAlias extends string,
  const TTaskType extends string,
  TSchema extends TaskSchema,
  TResult,
  TPartial = never,
>(
  definition: TaskDefinition<TName, TAlias, TTaskType, TSchema, TResult, TPartial>,
): TaskDefinition<TName, TAlias, TTaskType, TSchema, TResult, TPartial> {
  return definition;
}
