import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { deliveryMethod, flag, httpUrl, integerIn, model, textOf } from './fields.js';
import { fieldResult } from './result-readers.js';

/** Parameters of `promptEnhance`: the `prompt`, and how many versions of it, how long. */
const promptEnhanceSchema = v.strictObject({
  prompt: textOf(1, 300),
  promptMaxLength: v.optional(integerIn(4, 400)),
  promptVersions: v.optional(integerIn(1, 5)),
  model: v.optional(model),
  includeCost: v.optional(flag),
  deliveryMethod,
  webhookURL: v.optional(httpUrl),
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
