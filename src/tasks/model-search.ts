import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { count, integerIn, list, oneOf, text } from './fields.js';
import { fieldResult } from './result-readers.js';

const CATEGORIES = ['checkpoint', 'lora', 'lycoris', 'controlnet', 'vae', 'embeddings'] as const;

/** Parameters of `modelSearch`: the words to look for, filters, and the page. */
const modelSearchSchema = v.strictObject({
  search: v.nullish(text),
  tags: v.nullish(list(text)),
  category: v.nullish(oneOf(CATEGORIES)),
  type: v.nullish(text),
  architecture: v.nullish(text),
  conditioning: v.nullish(text),
  source: v.nullish(oneOf(['featured', 'community'])),
  capabilities: v.nullish(list(text)),
  visibility: v.nullish(oneOf(['public', 'private', 'all', 'favorite', 'owned'])),
  limit: v.nullish(integerIn(1, 100)),
  offset: v.nullish(count),
  sort: v.nullish(text),
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
