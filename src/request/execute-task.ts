import type { Subscriber } from 'rxjs';
import { Observable } from 'rxjs';
import { disconnectedError } from '../errors/disconnected-error.js';
import { forTask } from '../errors/for-task.js';
import type { ValidationIssue } from '../errors/validation-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { TaskEvent } from '../events/task-event.js';
import { newTaskUUID } from '../protocol/task-uuid.js';
import type { UnknownField } from '../tasks/check-params.js';
import { checkParams } from '../tasks/check-params.js';
import type { AnyTask, ParamsOf, PartialOf, ResultOf, ResultReader } from '../tasks/define-task.js';
import { extraFieldsOf } from '../tasks/extra-fields.js';
import { checkTaskOptions } from './check-task-options.js';
import { claimFor } from './claimed-request.js';
import { startWithMedia } from './media-request.js';
import type { RunningRequest } from './request-registry.js';
import type { TaskContext } from './task-context.js';
import type { TaskOptions, TaskPlan } from './task-plan.js';
import { streamIssue } from './stream-rules.js';
import { startTask } from './task-run.js';

/**
 * Runs one task of a given type as a cold Observable. Each subscription checks the options and
 * the parameters (a JSON copy of the caller's own fields, which is what is sent; a bad one is a
 * `ValidationError` on the stream, naming every problem, and nothing is sent), says once per
 * field which fields it does not know (or refuses them, `strictParams`), encodes bytes given as
 * media (uploading large ones first), takes a fresh taskUUID (or the caller's), and hands the
 * request to the engine. Everything that differs per task type comes from the definition.
 *
 * @param context The client's connection, alarms, limits and policies.
 * @param definition The task type.
 * @param params The caller's parameters.
 * @param options Per-request deadline, failure policy and taskUUID.
 * @returns The request's events.
 */
export function executeTask<D extends AnyTask>(
  context: TaskContext,
  definition: D,
  params: ParamsOf<D>,
  options?: TaskOptions,
): Observable<TaskEvent<ResultOf<D>, PartialOf<D>>> {
  return new Observable((subscriber) => startRequest(context, definition, params, options, subscriber));
}

/**
 * What {@link executeTask} does on each subscription, for a subscriber that already exists (the
 * Promise methods' own, which then needs no Observable around it).
 *
 * @param context The client's connection, alarms, limits and policies.
 * @param definition The task type.
 * @param params The caller's parameters.
 * @param options Per-request deadline, failure policy and taskUUID.
 * @param subscriber Who receives the request's events.
 * @returns The request's teardown and its abort, or nothing when it ended at once (a ValidationError).
 */
export function startRequest<D extends AnyTask>(
  context: TaskContext,
  definition: D,
  params: ParamsOf<D>,
  options: TaskOptions | undefined,
  subscriber: Subscriber<TaskEvent<ResultOf<D>, PartialOf<D>>>,
): RunningRequest | undefined {
  const { taskType } = definition;
  const endings = context.requests.endings;
  const refuse = (issues: readonly ValidationIssue[]): undefined => void subscriber.error(new ValidationError(`${taskType} request`, issues, taskType));
  const optionIssues = checkTaskOptions(options);
  if (optionIssues !== undefined) return refuse(optionIssues);
  const extra = extraFieldsOf(params);
  const checked = checkParams(definition.params, params, extra);
  let { unknown } = checked;
  if (unknown.length > 0 || extra !== undefined) {
    const identity = identityIssues(unknown, extra, params, definition);
    if (identity.length > 0) return refuse(identity);
    unknown = unknown.filter(({ path }) => !IDENTITY.has(path));
  }
  const strict = options?.strictParams ?? context.params.strict;
  const unknownIssues = strict && unknown.length > 0 ? unknown.map(({ path, suggestion }) => ({ path, message: unknownMessage(path, suggestion) })) : NO_ISSUES;
  if (!checked.success) return refuse([...checked.issues, ...unknownIssues]);
  if (unknownIssues.length > 0) return refuse(unknownIssues);
  const crossIssues = definition.check?.(checked.output);
  if (crossIssues !== undefined && crossIssues.length > 0) return refuse(crossIssues);
  const streaming = streamIssue(definition, checked.output, context.policy.dryRun);
  if (streaming !== undefined) return refuse([streaming]);
  for (const field of unknown) context.params.notice(taskType, field);
  const plan = planOf(context, definition, checked.output, options);
  // The caller's code run on the way here (a getter of the parameters, the logger) may have
  // called disconnect(), which ends every request started: this one too, before it dials.
  if (context.requests.endings !== endings) return void subscriber.error(forTask(disconnectedError(), { taskUUID: plan.task.taskUUID, taskType, sent: false }));
  const chosen = definition.targets === undefined ? options?.taskUUID : undefined;
  if (chosen === undefined) return start(context, plan, checked.media, subscriber);
  const holder = claimFor(context.requests, chosen, taskType, subscriber);
  return holder?.holding(start(context, plan, checked.media, holder));
}

/** Starts a checked request: its media prepared first, when it has any. */
function start<R, U>(context: TaskContext, plan: TaskPlan, media: boolean, subscriber: Subscriber<TaskEvent<R, U>>): RunningRequest {
  return media ? startWithMedia(context, plan, subscriber) : startTask(context, plan, subscriber);
}

const NO_ISSUES: readonly ValidationIssue[] = [];

/** The fields of a task's identity, which the engine sets (the official SDKs take them among the parameters). */
const IDENTITY: ReadonlySet<string> = new Set(['taskUUID', 'taskType']);

/**
 * A task's identity is not a parameter: a taskUUID among the parameters would be replaced by the
 * request's, so it is refused with where it goes instead; a taskType other than the task's is
 * refused, the task's own is let through quietly.
 */
function identityIssues(unknown: readonly UnknownField[], extra: ReadonlySet<string> | undefined, params: Record<string, unknown>, definition: AnyTask): ValidationIssue[] {
  const { taskType } = definition;
  const issues: ValidationIssue[] = [];
  // Given as unknown fields, or on purpose through withExtraFields: either way the method would
  // replace them. (A task about another task takes that one's taskUUID as its parameter.)
  const given = new Set([...unknown.map(({ path }) => path), ...(extra ?? [])]);
  for (const path of given) {
    if (path === 'taskUUID' && definition.targets !== 'taskUUID') issues.push({ path, message: 'taskUUID is not a parameter: give it as a request option, { taskUUID }, to choose the taskUUID the task goes under' });
    else if (path === 'taskType' && params['taskType'] !== taskType) issues.push({ path, message: `taskType is set by the method: this one sends ${JSON.stringify(taskType)} (got ${JSON.stringify(params['taskType'])})` });
  }
  return issues;
}

/** In a dry run, the server's answer for the task, whatever its shape, is the result. */
const PRICED: ResultReader<unknown, unknown> = { isResult: () => true };

/** The engine's view of a checked request. */
function planOf(context: TaskContext, definition: AnyTask, output: Record<string, unknown>, options: TaskOptions | undefined): TaskPlan {
  const { policy } = context;
  const { taskType, count, targets } = definition;
  // A task about another task (getTaskDetails) goes under that task's taskUUID.
  const target = targets === undefined ? undefined : output[targets];
  const taskUUID = typeof target === 'string' ? target : (options?.taskUUID ?? newTaskUUID());
  // The caller's fields cannot replace the task's identity. `output` is the request's own copy
  // (checkParams made it), so without defaults to put first it becomes the task itself.
  const task: Record<string, unknown> = definition.defaults === undefined ? output : { ...definition.defaults, ...output };
  task['taskType'] = taskType;
  task['taskUUID'] = taskUUID;
  // A task with a webhookURL is acknowledged and its results go to the webhook (§5.7): the
  // socket carries none of them, so it is polled like an async one, whatever its deliveryMethod.
  const polled = task['deliveryMethod'] === 'async' || typeof task['webhookURL'] === 'string';
  // Streaming is an HTTP feature (§4.5): such a task goes over the API's HTTP endpoint.
  const overHttp = task['deliveryMethod'] === 'stream';
  const delivery = policy.dryRun ? 'push' : polled ? 'poll' : overHttp ? 'stream' : definition.delivery;
  const requested = count === undefined ? undefined : output[count];
  return {
    task: task as TaskPlan['task'],
    delivery,
    overHttp,
    submit: true,
    noSlot: targets !== undefined,
    expected: policy.dryRun || typeof requested !== 'number' ? 1 : requested,
    count,
    reader: policy.dryRun ? PRICED : definition.result,
    settled: options?.settled ?? false,
    retryFailed: target === undefined && (options?.retryFailed ?? policy.retryFailed),
    answeredAs: targets === undefined ? undefined : taskType,
    total: options?.timeout ?? policy.timeout ?? definition.timeout ?? (delivery === 'poll' ? policy.pollTaskTimeout : policy.pushTimeout),
    answerTimeout: definition.answerTimeout ?? policy.answerTimeout,
    hint: options?.expectedDuration,
    inlineMedia: definition.inlineMedia,
    storedInputs: definition.storedInputs,
  };
}

/**
 * How an unknown field is named to the caller.
 *
 * @param path Its dotted path.
 * @param suggestion The known field probably meant.
 * @returns The words.
 */
export function unknownMessage(path: string, suggestion: string | undefined): string {
  return `unknown field ${JSON.stringify(path)}${suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(path.replace(/[^.]+$/, suggestion))}?)`}`;
}
