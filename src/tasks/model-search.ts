import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { count, integerIn, list, oneOf, text } from './fields.js';
import { fieldResult } from './result-readers.js';

const CATEGORIES = ['checkpoint', 'lora', 'lycoris', 'controlnet', 'vae', 'embeddings'] as const;

/** Parameters of `modelSearch`: the words to look for, filters, and the page. */
const modelSearchSchema = v.strictObject({
  search: v.optional(text),
  tags: v.optional(list(text)),
  category: v.optional(oneOf(CATEGORIES)),
  type: v.optional(text),
  architecture: v.optional(text),
  conditioning: v.optional(text),
  source: v.optional(oneOf(['featured', 'community'])),
  capabilities: v.optional(list(text)),
  visibility: v.optional(oneOf(['public', 'private', 'all', 'favorite', 'owned'])),
  limit: v.optional(integerIn(1, 100)),
  offset: v.optional(count),
  sort: v.optional(text),
});

/** What `modelSearch` accepts. */
export type ModelSearchParams = ParamsOf<typeof modelSearch>;

/** One model found. */
export interface ModelSearchEntry {
  readonly air: string;
  readonly name: string;
  readonly version?: string;
  readonly category?: string;
  readonly architecture?: string;
  readonly type?: string;
  readonly tags: readonly string[];
  readonly private: boolean;
  readonly capabilities?: readonly string[];
  readonly source?: string;
  readonly heroImage?: string;
  readonly isFavorite?: boolean;
  readonly provider?: string;
  readonly shortDescription?: string;
  readonly comment?: string;
  readonly positiveTriggerWords?: string;
  readonly negativeTriggerWords?: string;
  readonly conditioning?: string;
  readonly defaultWidth?: number;
  readonly defaultHeight?: number;
  readonly defaultSteps?: number;
  readonly defaultScheduler?: string;
  readonly defaultCFG?: number;
  readonly defaultStrength?: number;
}

/** A page of the models found, and how many there are in all. */
export interface ModelSearchResult {
  readonly taskType: 'modelSearch';
  readonly taskUUID: string;
  readonly totalResults: number;
  readonly results: readonly ModelSearchEntry[];
}

/** `modelSearch`: the models (public, and the account's own) matching a search; one result, a page. */
export const modelSearch = defineTask({
  name: 'modelSearch',
  aliases: [],
  taskType: 'modelSearch',
  params: modelSearchSchema,
  delivery: 'push',
  result: fieldResult<ModelSearchResult>('results'),
});
