import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { readResults } from './result-readers.js';
import { fields, flag, httpUrl, mediaInput, model, oneOf, openObject, text } from './fields.js';

/** Parameters of `training`: a LoRA trained from a dataset, imported as a model of the account. */
const trainingSchema = v.strictObject({
  model,
  importModel: fields({
    air: model,
    name: text,
    uniqueIdentifier: v.nullish(text),
    version: v.nullish(text),
    private: v.nullish(flag),
    heroImageURL: v.nullish(httpUrl),
    shortDescription: v.nullish(text),
    architecture: v.nullish(text),
    category: v.nullish(text),
  }),
  inputs: fields({ dataset: mediaInput }),
  settings: v.nullish(openObject),
  deliveryMethod: v.nullish(oneOf(['async'])),
  includeCost: v.nullish(flag),
  webhookURL: v.nullish(httpUrl),
});

/** What `training` accepts. */
export type TrainingParams = ParamsOf<typeof training>;

/** A phase of a training, as a poll reports it (`progress` while it runs). */
export interface TrainingPhase {
  readonly taskType: 'training';
  readonly taskUUID: string;
  readonly status: string;
  readonly progress?: number;
  readonly message?: string;
}

/** The trained model. */
export interface TrainingResult {
  readonly taskType: 'training';
  readonly taskUUID: string;
  readonly status?: string;
  readonly air?: string;
  readonly outputs?: { readonly files: readonly { readonly uuid?: string; readonly url: string }[] };
  readonly cost?: number;
}

const RUNNING_OR_ENDED = new Set(['processing', 'success', 'completed', 'ready', 'error', 'failed']);

/**
 * `training`: async only, polled. Its named phases (other than `processing`, which is a status
 * event with `progress`) are `partial` events; the request ends with the trained model.
 */
export const training = defineTask({
  name: 'training',
  aliases: [],
  taskType: 'training',
  params: trainingSchema,
  delivery: 'poll',
  defaults: { deliveryMethod: 'async' },
  result: readResults<TrainingResult, TrainingPhase>({
    isResult: (item) => item.status === 'success' || item.status === 'ready' || item['air'] !== undefined,
    isPartial: (item) => typeof item.status === 'string' && !RUNNING_OR_ENDED.has(item.status),
  }),
});
