import { namespaceOf } from '../catalog.js';
import { echo } from '../compact.js';
import type { SimulatorEnv } from '../env.js';
import type { CatalogueModel } from '../model-catalogue.js';
import { hashString } from '../media/prng.js';
import type { DataItem, TaskObject } from '../types.js';
import { webhookURLOf } from '../delivery-url.js';
import { acknowledge } from './acknowledge.js';
import { plannedGenerations } from './generations.js';
import { ParamError } from './param-error.js';
import { invalidParam, readParams, type ParamReader } from './params.js';
import { rememberTask } from './remember.js';
import { defineHandler } from './task-handler.js';

/** Validated `modelUpload` parameters (protocol §4.16). */
interface UploadParams {
  readonly model: CatalogueModel;
  readonly downloadURL: URL;
  readonly deliveryMethod: 'sync' | 'async';
}

/** The phases, in order, each with the message its frame carries; `ready` ends the upload. */
export const UPLOAD_PHASES = [
  ['validated', 'Model parameters and configuration validated.'],
  ['downloaded', 'Model file downloaded.'],
  ['optimized', 'Model optimized for inference.'],
  ['stored', 'Model stored.'],
  ['ready', 'Model is ready to use.'],
] as const;

const CATEGORIES = ['checkpoint', 'lora', 'lycoris', 'controlnet', 'vae', 'embeddings'] as const;
const URL_RULE = 'a public http(s) URL of the model file';

const optionalText = (read: ParamReader, task: TaskObject, name: string, max = 1000): string | undefined =>
  task[name] === undefined || task[name] === null ? undefined : read.string(name, { min: 1, max });

const readUrl = (task: TaskObject, name: string): URL => {
  const value = task[name];
  if (value === undefined || value === null) throw new ParamError({ code: `missing${name.charAt(0).toUpperCase()}${name.slice(1)}`, message: `Missing ${name} parameter.`, parameter: name, type: 'string' });
  try {
    const url = typeof value === 'string' ? new URL(value) : undefined;
    if (url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:')) return url;
  } catch {
    // Not a URL: the same error as any other bad value.
  }
  throw invalidParam(name, 'string', URL_RULE, value);
};

const parseUpload = (task: TaskObject, env: SimulatorEnv): UploadParams => {
  const read = readParams(task, env.options);
  const category = read.optionalChoice('category', CATEGORIES);
  if (category === undefined) throw new ParamError({ code: 'missingCategory', message: 'Missing category parameter.', parameter: 'category', type: 'string', allowedValues: CATEGORIES });
  // Checkpoints and embeddings have a type (docs); the others do not.
  const types = category === 'checkpoint' ? ['base', 'inpainting', 'refiner', 'pix2pix'] : category === 'embeddings' ? ['positive', 'negative'] : undefined;
  const type = types === undefined ? undefined : read.optionalChoice('type', types);
  if (types !== undefined && type === undefined) throw new ParamError({ code: 'missingType', message: `Missing type parameter: a ${category} needs one.`, parameter: 'type', type: 'string', allowedValues: types });
  const architecture = read.string('architecture', { min: 1, max: 100 });
  // The docs list conditionings (canny, depth, …) but js-legacy sends others ("line art"): any name, for controlnets only.
  const conditioning = category === 'controlnet' ? read.string('conditioning', { min: 1, max: 100 }) : undefined;
  // js-legacy's enum also had pickletensor; the docs say safetensors.
  const format = read.optionalChoice('format', ['safetensors', 'pickletensor']);
  if (format === undefined) throw new ParamError({ code: 'missingFormat', message: 'Missing format parameter.', parameter: 'format', type: 'string', allowedValues: ['safetensors'] });
  const name = read.string('name', { min: 1, max: 1000 });
  const version = read.string('version', { min: 1, max: 1000 });
  const downloadURL = readUrl(task, 'downloadURL');
  // ts-new sends air and uniqueIdentifier as optional: without an AIR the upload gets one.
  const air = read.optionalNewModel('air') ?? `runware:${900_000 + (hashString(`${name}\u0000${version}`) % 100_000)}@1`;
  optionalText(read, task, 'uniqueIdentifier');
  const defaultSteps = read.optionalInteger('defaultSteps', { min: 1, max: 100 });
  const defaultScheduler = optionalText(read, task, 'defaultScheduler', 100);
  // docs `defaultCFG`; py-legacy `defaultGuidanceScale`, js-legacy `defaultCFGScale` (naming drift, §9 #24).
  const defaultCFG = read.optionalNumber('defaultCFG', { min: 0, max: 30 }) ?? read.optionalNumber('defaultGuidanceScale', { min: 0, max: 30 }) ?? read.optionalNumber('defaultCFGScale', { min: 0, max: 30 });
  const defaultStrength = read.optionalNumber('defaultStrength', { min: 0, max: 1 });
  const defaultWeight = read.optionalNumber('defaultWeight', { min: -4, max: 4 });
  const isPrivate = read.optionalBoolean('private') ?? true;
  if (task['heroImageURL'] !== undefined && task['heroImageURL'] !== null) readUrl(task, 'heroImageURL');
  const tags = task['tags'];
  if (tags !== undefined && tags !== null && (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string'))) throw invalidParam('tags', 'array', 'a list of strings', tags);
  const comment = task['comment'] === undefined || task['comment'] === null ? undefined : read.string('comment', { min: 2, max: 1000 });
  const now = Math.floor(env.now() / 1000);
  const model: CatalogueModel = {
    air,
    name,
    version,
    category,
    architecture,
    ...(type === undefined ? {} : { type }),
    ...(conditioning === undefined ? {} : { conditioning }),
    tags: (tags as string[] | undefined) ?? [],
    private: isPrivate,
    capabilities: category === 'controlnet' ? ['controlnet'] : ['text-to-image'],
    source: 'community',
    isFavorite: false,
    provider: namespaceOf(air),
    shortDescription: optionalText(read, task, 'shortDescription') ?? name,
    comment: comment ?? '',
    positiveTriggerWords: optionalText(read, task, 'positiveTriggerWords') ?? '',
    negativeTriggerWords: optionalText(read, task, 'negativeTriggerWords') ?? '',
    ...(defaultSteps === undefined ? {} : { defaultSteps }),
    ...(defaultScheduler === undefined ? {} : { defaultScheduler }),
    ...(defaultCFG === undefined ? {} : { defaultCFG }),
    ...(defaultStrength === undefined ? {} : { defaultStrength }),
    ...(defaultWeight === undefined ? {} : { defaultWeight }),
    addedUnixTimestamp: now,
    updatedDateUnixTimestamp: now,
    popularity: 0,
  };
  return { model, downloadURL, deliveryMethod: read.optionalChoice('deliveryMethod', ['sync', 'async']) ?? 'sync' };
};

/**
 * Whether the download would fail, by a documented rule (the simulator never fetches): a host
 * under the reserved `.invalid` domain (RFC 2606), a file of the simulator's own `/media/` that is
 * not there, or any external host when `externalInputs` is `'error'`.
 */
const downloadFails = (url: URL, env: SimulatorEnv): boolean => {
  if (url.hostname === 'invalid' || url.hostname.endsWith('.invalid')) return true;
  const own = env.media.library.ownFile(url);
  if (own !== undefined) return own === 'missing';
  return env.options.externalInputs === 'error';
};

/**
 * `modelUpload`: the phases of protocol §4.16, `validated`, `downloaded`, `optimized`, `stored`,
 * `ready`, each a frame `{ taskType, taskUUID, status, message, air }` of its own on the same
 * taskUUID, a fifth of `videoReadyAfterMs` apart (each scheduled once the previous has left, so no
 * two share a frame, whatever the framing: js-legacy reads only the first item of a frame). A
 * download that fails (see {@link downloadFails}) ends after `validated` with a `downloadFailed`
 * error naming `downloadURL`. Once ready the model is the account's: `modelSearch` finds it
 * (`private` as uploaded, default true), and uploading the same AIR again replaces it. With
 * `deliveryMethod: "async"`: an ack, then getResponse reports it `processing` until the `ready` item.
 * With `webhookURL`: as async on the socket, and each phase POSTed as it would have been pushed.
 */
export const modelUpload = defineHandler({
  createsTask: true,
  parse: (task, context) => parseUpload(task, context.env),
  price: () => 0,
  run(params, context) {
    const { env, session, taskType, taskUUID } = context;
    const now = env.now();
    const total = Math.max(UPLOAD_PHASES.length, env.latency.delays(session, env.options.videoReadyAfterMs, 1)[0]!);
    const [generation] = plannedGenerations(1, [total], now);
    rememberTask(context, [generation!], 0, now);
    // A webhook makes the task async on the socket (an ack, getResponse), as for every task
    // (generations.ts). Whether the API POSTs every phase or only the last is unconfirmed
    // (§5.7, §10.5 say one POST per result item): every phase is POSTed, the flat item the
    // socket would have carried, since a receiver that wants only `ready` can skip the others
    // by `status`, while one that waits for progress would otherwise see none. The items differ
    // in content, so a receiver's de-duplication keeps each.
    const webhook = webhookURLOf(context.task);
    const post = webhook === undefined ? undefined : (body: DataItem) => env.webhooks.send(webhook, body);
    const async = params.deliveryMethod === 'async' || post !== undefined;
    if (async) acknowledge(context);
    const fails = downloadFails(params.downloadURL, env);
    const { air } = params.model;
    const item = (status: string, message: string): DataItem => ({ taskType, taskUUID, status, message, air });
    const step = Math.max(1, Math.floor(total / UPLOAD_PHASES.length));
    const phase = (index: number) => {
      if (index === 1 && fails) {
        const failure = { code: 'downloadFailed', message: `The model file could not be downloaded from ${echo(params.downloadURL.href)}.`, parameter: 'downloadURL', type: 'string', taskType, taskUUID, documentation: 'https://runware.ai/docs/en/utilities/model-upload#request-downloadurl' };
        generation!.failure = failure;
        post?.({ ...failure, status: 'error' });
        if (!async) {
          context.push({ errors: [{ ...failure, status: 'error' }] });
          context.answered();
        }
        return;
      }
      const [status, message] = UPLOAD_PHASES[index]!;
      if (status === 'ready') {
        env.account.addModel(params.model);
        generation!.result = item(status, message);
      }
      post?.(item(status, message));
      if (!async) {
        context.push({ data: [item(status, message)] });
        if (status === 'ready') context.answered();
      }
      if (index + 1 < UPLOAD_PHASES.length) env.timers.after(step, () => phase(index + 1));
    };
    env.timers.after(step, () => phase(0));
  },
});
