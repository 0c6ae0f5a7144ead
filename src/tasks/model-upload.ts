import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { readResults } from './result-readers.js';
import { deliveryMethod, flag, httpUrl, integerIn, list, model, numberIn, oneOf, text, textOf } from './fields.js';

/** The phases a model upload goes through, in order; `ready` is the final one. */
export const MODEL_UPLOAD_PHASES = ['validated', 'downloaded', 'optimized', 'stored', 'ready'] as const;

/** Parameters of `modelUpload`: where to download the model from, what it is, and its defaults. */
const modelUploadSchema = v.strictObject({
  category: oneOf(['checkpoint', 'lora', 'lycoris', 'controlnet', 'vae', 'embeddings']),
  type: v.optional(text),
  architecture: text,
  conditioning: v.optional(text),
  format: v.optional(oneOf(['safetensors', 'pickletensor'])),
  // Required by the 2025 docs (§4.16), optional in the current schema (ts-new sends `air?`): the
  // server gives the upload one when it has none, so the client lets that through.
  air: v.optional(model),
  uniqueIdentifier: v.optional(textOf(1, 1000)),
  name: textOf(1, 1000),
  version: textOf(1, 1000),
  downloadURL: httpUrl,
  defaultSteps: v.optional(integerIn(1, 100)),
  defaultScheduler: v.optional(text),
  defaultCFG: v.optional(numberIn(0, 50)),
  // The legacy SDKs' spellings of defaultCFG.
  defaultGuidanceScale: v.optional(numberIn(0, 50)),
  defaultCFGScale: v.optional(numberIn(0, 50)),
  defaultStrength: v.optional(numberIn(0, 1)),
  defaultWeight: v.optional(numberIn(-4, 4)),
  private: v.optional(flag),
  heroImageURL: v.optional(httpUrl),
  tags: v.optional(list(text)),
  positiveTriggerWords: v.optional(text),
  negativeTriggerWords: v.optional(text),
  shortDescription: v.optional(text),
  comment: v.optional(textOf(2, 1000)),
  deliveryMethod,
  webhookURL: v.optional(httpUrl),
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

/** The uploaded model, ready to use. */
export interface ModelUploadResult extends ModelUploadPhase {
  readonly status: 'ready';
  readonly air: string;
}

const ENDS = new Set(['ready', 'error', 'failed']);

/**
 * `modelUpload`: a model of your own, downloaded, checked and stored. The server streams a frame
 * per phase; each is a `partial` event, and the request ends with the `ready` one, never at the
 * first frame. Phases can be minutes apart while a large file downloads.
 */
export const modelUpload = defineTask({
  name: 'modelUpload',
  aliases: ['uploadModel'],
  taskType: 'modelUpload',
  params: modelUploadSchema,
  delivery: 'stream',
  // The API requires a format (docs and the current schema); safetensors is the one it documents.
  defaults: { format: 'safetensors' },
  answerTimeout: 30 * 60_000,
  // Phases as far apart as the silence bound: the client's 5-minute default for pushed tasks
  // would end a large download that is going well.
  timeout: 2 * 60 * 60_000,
  result: readResults<ModelUploadResult, ModelUploadPhase>({
    isResult: (item) => item.status === 'ready',
    isPartial: (item) => typeof item.status === 'string' && !ENDS.has(item.status),
  }),
});
