import * as v from 'valibot';
import type { ValidationIssue } from '../errors/validation-error.js';
import { isRunningStatus } from '../protocol/item-status.js';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { readResults } from './result-readers.js';
import { deliveryMethod, flag, httpUrl, integerIn, list, model, numberIn, oneOf, text, textOf } from './fields.js';

/** The phases a model upload goes through, in order; `ready` is the final one. */
export const MODEL_UPLOAD_PHASES = ['validated', 'downloaded', 'optimized', 'stored', 'ready'] as const;

/** Parameters of `modelUpload`: where to download the model from, what it is, and its defaults. */
const modelUploadSchema = v.strictObject({
  category: oneOf(['checkpoint', 'lora', 'lycoris', 'controlnet', 'vae', 'embeddings']),
  type: v.nullish(text),
  architecture: text,
  conditioning: v.nullish(text),
  format: v.nullish(oneOf(['safetensors', 'pickletensor'])),
  // Required by the 2025 docs (§4.16), optional in the current schema (ts-new sends `air?`): the
  // server gives the upload one when it has none, so the client lets that through.
  air: v.nullish(model),
  uniqueIdentifier: v.nullish(textOf(1, 1000)),
  name: textOf(1, 1000),
  version: textOf(1, 1000),
  downloadURL: httpUrl,
  defaultSteps: v.nullish(integerIn(1, 100)),
  defaultScheduler: v.nullish(text),
  defaultCFG: v.nullish(numberIn(0, 50)),
  // The legacy SDKs' spellings of defaultCFG.
  defaultGuidanceScale: v.nullish(numberIn(0, 50)),
  defaultCFGScale: v.nullish(numberIn(0, 50)),
  defaultStrength: v.nullish(numberIn(0, 1)),
  defaultWeight: v.nullish(numberIn(-4, 4)),
  private: v.nullish(flag),
  heroImageURL: v.nullish(httpUrl),
  tags: v.nullish(list(text)),
  positiveTriggerWords: v.nullish(text),
  negativeTriggerWords: v.nullish(text),
  shortDescription: v.nullish(text),
  comment: v.nullish(textOf(2, 1000)),
  deliveryMethod,
  webhookURL: v.nullish(httpUrl),
});

/** What `modelUpload` accepts. */
export type ModelUploadParams = ParamsOf<typeof modelUpload>;

/** One phase of an upload (`validated`, `downloaded`, ...), or its end (`ready`). */
export interface ModelUploadPhase {
  readonly taskType: 'modelUpload';
  readonly taskUUID: string;
  readonly status: (typeof MODEL_UPLOAD_PHASES)[number] | (string & {});
  readonly message?: string;
  readonly air?: string;
}

/** The uploaded model, ready to use (`success` when an async upload was polled). */
export interface ModelUploadResult extends ModelUploadPhase {
  readonly status: 'ready' | 'success' | 'completed';
  readonly air: string;
}

/**
 * Statuses that are not a phase: the end of a stream (`ready`), a poll's word for it (`success`,
 * as getResponse reports an async upload done, §5.4), a failure. A poll's `processing` is a
 * status too (`isRunningStatus`), reported as a `status` event.
 */
const NOT_PHASES = new Set(['ready', 'success', 'completed', 'error', 'failed']);

/** The field each category needs besides the common ones (protocol §4.16). */
const NEEDED: Readonly<Record<string, { readonly field: string; readonly what: string }>> = {
  checkpoint: { field: 'type', what: 'base, inpainting or refiner' },
  embeddings: { field: 'type', what: 'positive or negative' },
  controlnet: { field: 'conditioning', what: 'canny, depth, openpose, ...' },
};

/** A checkpoint and embeddings say their type, a controlnet its conditioning. */
function checkCategory(params: Readonly<Record<string, unknown>>): readonly ValidationIssue[] {
  const category = params['category'];
  const needed = typeof category === 'string' ? NEEDED[category] : undefined;
  if (needed === undefined || params[needed.field] != null) return [];
  return [{ path: needed.field, message: `${needed.field} is required for a ${String(category)} upload (${needed.what})` }];
}

/**
 * `modelUpload`: a model of your own, downloaded, checked and stored. The server streams a frame
 * per phase; each is a `partial` event, and the request ends with the `ready` one, never at the
 * first frame. Phases can be minutes apart while a large file downloads. Sent with
 * `deliveryMethod: 'async'` (or a `webhookURL`), it is polled instead, and ends with the answer
 * that says `success`.
 */
export const modelUpload = defineTask({
  name: 'modelUpload',
  aliases: ['uploadModel'],
  taskType: 'modelUpload',
  params: modelUploadSchema,
  delivery: 'stream',
  // The API requires a format (docs and the current schema); safetensors is the one it documents.
  defaults: { format: 'safetensors' },
  check: checkCategory,
  answerTimeout: 30 * 60_000,
  // Phases as far apart as the silence bound: the client's 5-minute default for pushed tasks
  // would end a large download that is going well.
  timeout: 2 * 60 * 60_000,
  result: readResults<ModelUploadResult, ModelUploadPhase>({
    isResult: (item) => item.status === 'ready' || item.status === 'success' || item.status === 'completed',
    isPartial: (item) => typeof item.status === 'string' && !NOT_PHASES.has(item.status) && !isRunningStatus(item.status),
  }),
});
