import type { SimulatorEnv } from '../env.js';
import { publicModels, type CatalogueModel } from '../model-catalogue.js';
import type { TaskObject } from '../types.js';
import { invalidParam, readParams, type ParamReader } from './params.js';
import { defineFreeTool } from './tool-task.js';

/** Validated `modelSearch` parameters (protocol §4.17: the union of the 2025 docs and the current schema). */
interface SearchParams {
  readonly search: string | undefined;
  readonly tags: readonly string[];
  readonly category: string | undefined;
  readonly type: string | undefined;
  readonly architecture: string | undefined;
  readonly conditioning: string | undefined;
  readonly source: string | undefined;
  readonly capabilities: readonly string[];
  readonly visibility: string;
  readonly limit: number;
  readonly offset: number;
  readonly sort: string | undefined;
}

const SORTS = ['popularity', '-popularity', 'name', '-name', 'addedUnixTimestamp', '-addedUnixTimestamp', 'updatedDateUnixTimestamp', '-updatedDateUnixTimestamp'] as const;

const stringList = (task: TaskObject, name: string): string[] => {
  const value = task[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw invalidParam(name, 'array', 'a list of strings', value);
  return value;
};

const optionalText = (read: ParamReader, task: TaskObject, name: string): string | undefined =>
  task[name] === undefined || task[name] === null ? undefined : read.string(name, { min: 0, max: 1000 });

const parseSearch = (task: TaskObject, env: SimulatorEnv): SearchParams => {
  const read = readParams(task, env.options);
  return {
    search: optionalText(read, task, 'search'),
    tags: stringList(task, 'tags'),
    category: read.optionalChoice('category', ['checkpoint', 'lora', 'lycoris', 'controlnet', 'vae', 'embeddings']),
    type: read.optionalChoice('type', ['base', 'inpainting', 'refiner', 'pix2pix', 'positive', 'negative']),
    architecture: optionalText(read, task, 'architecture'),
    conditioning: optionalText(read, task, 'conditioning'),
    source: read.optionalChoice('source', ['featured', 'community']),
    capabilities: stringList(task, 'capabilities'),
    // Docs 2025: public, private, all (default all); current schema: public, private, favorite, owned.
    visibility: read.optionalChoice('visibility', ['all', 'public', 'private', 'favorite', 'owned']) ?? 'all',
    limit: read.optionalInteger('limit', { min: 1, max: 100 }) ?? 20,
    offset: read.optionalInteger('offset', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0,
    sort: read.optionalChoice('sort', SORTS),
  };
};

/** `*` in a search term matches any run of characters (the docs: AIR wildcards). */
const matcher = (term: string): ((text: string) => boolean) => {
  const pattern = new RegExp(term.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*'), 'i');
  return (text) => pattern.test(text);
};

/** How well a model matches the search: the exact name first, then a name starting with it, then any match; 0 = none. */
const relevance = (model: CatalogueModel, search: string): number => {
  const term = search.trim().toLowerCase();
  if (term === '') return 1;
  const name = model.name.toLowerCase();
  if (name === term) return 4;
  if (name.startsWith(term)) return 3;
  const matches = matcher(term);
  if (matches(model.name)) return 2;
  return matches(model.air) || matches(model.version) || model.tags.some((tag) => matches(tag)) ? 1 : 0;
};

const compare = (sort: string): ((a: CatalogueModel, b: CatalogueModel) => number) => {
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as 'popularity' | 'name' | 'addedUnixTimestamp' | 'updatedDateUnixTimestamp';
  return (a, b) => {
    const order = key === 'name' ? a.name.localeCompare(b.name) : a[key] - b[key];
    return (descending ? -order : order) || a.air.localeCompare(b.air);
  };
};

/** The models a search finds, in its order. */
export const searchModels = (models: readonly CatalogueModel[], params: SearchParams): CatalogueModel[] => {
  const tags = params.tags.map((tag) => tag.toLowerCase());
  const visible = (model: CatalogueModel) =>
    params.visibility === 'all' || (params.visibility === 'public' ? !model.private : params.visibility === 'favorite' ? model.isFavorite : model.private);
  const scored = models
    .filter(visible)
    .filter((model) => params.category === undefined || model.category === params.category)
    .filter((model) => params.type === undefined || model.type === params.type)
    .filter((model) => params.architecture === undefined || model.architecture.toLowerCase() === params.architecture.toLowerCase())
    .filter((model) => params.conditioning === undefined || model.conditioning === params.conditioning)
    .filter((model) => params.source === undefined || model.source === params.source)
    .filter((model) => params.capabilities.every((capability) => model.capabilities.includes(capability)))
    .filter((model) => tags.length === 0 || model.tags.some((tag) => tags.includes(tag.toLowerCase())))
    .map((model) => ({ model, score: params.search === undefined ? 1 : relevance(model, params.search) }))
    .filter(({ score }) => score > 0);
  const order = compare(params.sort ?? '-popularity');
  // A search ranks by relevance first; the sort orders within it (and alone without a search).
  scored.sort((a, b) => (params.sort === undefined ? b.score - a.score : 0) || order(a.model, b.model));
  return scored.map(({ model }) => model);
};

/** A model as the wire carries it; the popularity figure is the simulator's own sort key. */
const asResult = ({ popularity: _popularity, ...model }: CatalogueModel, env: SimulatorEnv) => ({ ...model, heroImage: env.media.library.urlOf('placeholder.jpg') });

/**
 * `modelSearch`: one item `{ taskType, taskUUID, totalResults, results }` over a fixed catalogue
 * of about four hundred public models (`model-catalogue.ts`) and the account's own (private:
 * uploaded or trained here). `search` matches name (exact first, then prefix, then anywhere),
 * AIR, version and tags, case-insensitive, `*` a wildcard; `tags` any of; `capabilities` all
 * of; the other filters exact. Ordered by relevance then popularity, or by `sort`; `offset` and
 * `limit` (1–100, default 20) cut the page. Every result carries `tags` and `private` (§10.3).
 */
export const modelSearch = defineFreeTool({
  parse: (task, context) => parseSearch(task, context.env),
  answer(params, context) {
    const { env, taskType, taskUUID } = context;
    return {
      deliveryMethod: 'sync',
      results: 1,
      produce() {
        const found = searchModels([...publicModels(), ...env.account.models], params);
        const results = found.slice(params.offset, params.offset + params.limit).map((model) => asResult(model, env));
        return { taskType, taskUUID, totalResults: found.length, results };
      },
    };
  },
});
