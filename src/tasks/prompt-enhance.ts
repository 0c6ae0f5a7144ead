import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { deliveryMethod, flag, httpUrl, integerIn, model, textOf } from './fields.js';
import { fieldResult } from './result-readers.js';

/** Parameters of `promptEnhance`: the `prompt`, and how many versions of it, how long. */
const promptEnhanceSchema = v.strictObject({
  prompt: textOf(1, 300),
  promptMaxLength: v.nullish(integerIn(4, 400)),
  promptVersions: v.nullish(integerIn(1, 5)),
  model: v.nullish(model),
  includeCost: v.nullish(flag),
  deliveryMethod,
  webhookURL: v.nullish(httpUrl),
});

/** What `promptEnhance` accepts. */
export type PromptEnhanceParams = ParamsOf<typeof promptEnhance>;

/** One enhanced version of the prompt. */
export interface PromptEnhanceResult {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly text: string;
  readonly cost?: number;
}

/**
 * `promptEnhance`: richer versions of a prompt, one result per `promptVersions`; `enhancePrompt`
 * is its legacy name. Two versions may read the same: they are two results all the same.
 */
export const promptEnhance = defineTask({
  name: 'promptEnhance',
  aliases: ['enhancePrompt'],
  taskType: 'promptEnhance',
  params: promptEnhanceSchema,
  delivery: 'push',
  count: 'promptVersions',
  result: fieldResult<PromptEnhanceResult>('text'),
});
