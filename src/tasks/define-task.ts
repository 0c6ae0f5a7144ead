import type { ErrorMessage, InferInput, InferOutput, ObjectEntries, StrictObjectIssue, StrictObjectSchema } from 'valibot';
import type { DataItem } from '../protocol/frames.js';

/** A task's parameter schema: a strict object, so that a mistyped field is an error. */
export type TaskSchema = StrictObjectSchema<ObjectEntries, ErrorMessage<StrictObjectIssue> | undefined>;

/**
 * Everything runware-rx needs to know about one task type; a definition is data, no I/O.
 * `request/execute-task.ts` validates a request with it and hands it to `run-plan.ts`.
 */
export interface TaskDefinition<TSchema extends TaskSchema = TaskSchema, TResult = DataItem> {
  /** The wire `taskType`. */
  readonly taskType: string;
  /** Checks the caller's parameters; its input type is the public parameter type. */
  readonly schema: TSchema;
  /** Fields sent when the caller leaves them out (`deliveryMethod: 'async'` for video). */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** How many result items a request produces (`numberResults`). */
  expectedResults(params: InferOutput<TSchema>): number;
  /** A stable identity of a result item (its output UUID), used to drop replayed duplicates. */
  readonly resultKey: (item: DataItem) => string | undefined;
  /** Only carries the result type; never set at run time. */
  readonly resultType?: TResult;
}

/** The parameters a task definition accepts. */
export type TaskParams<D> = D extends TaskDefinition<infer S, unknown> ? InferInput<S> : never;

/** The result item a task definition produces. */
export type TaskResult<D> = D extends TaskDefinition<TaskSchema, infer R> ? R : never;

/**
 * Declares a task type; a typed identity function so definitions infer their own types.
 *
 * @param definition The task's schema, defaults and result rules.
 * @returns The same definition.
 */
// @__NO_SIDE_EFFECTS__
export function defineTask<TSchema extends TaskSchema, TResult>(
  definition: TaskDefinition<TSchema, TResult>,
): TaskDefinition<TSchema, TResult> {
  return definition;
}

/**
 * Reads the first string field among `names` of an item; result keys are output UUIDs.
 *
 * @param names Field names, in order of preference.
 * @returns A function returning the first string found.
 */
// @__NO_SIDE_EFFECTS__
export function firstStringField(...names: readonly string[]): (item: DataItem) => string | undefined {
  return (item) => {
    for (const name of names) {
      const value = item[name];
      if (typeof value === 'string') return value;
    }
    return undefined;
  };
}
