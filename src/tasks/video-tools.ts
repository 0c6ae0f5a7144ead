import * as v from 'valibot';
import type { ParamsOf } from './define-task.js';
import { defineTask } from './define-task.js';
import { commonOutputFields, fields, flag, httpUrl, integerIn, model, oneOf, openObject, storedMediaInput, text } from './fields.js';
import { fieldResult, outputUUID } from './result-readers.js';

/*
 * The video forms of caption, upscale and removeBackground: the same wire task types as the
 * image tools, with a video under `inputs.video`, and async only (acknowledged, then polled), as
 * the API requires: `deliveryMethod` can only be `async`.
 */

// The API takes a video tool's input by reference only (protocol §4.1): bytes are uploaded first.
const videoInput = fields({ video: storedMediaInput });
const STORED = ['inputs.video'] as const;
const asyncOnly = v.nullish(oneOf(['async']));
const videoOutput = {
  outputType: v.nullish(oneOf(['URL'])),
  outputFormat: v.nullish(oneOf(['MP4', 'WEBM', 'MOV'], true)),
  includeCost: v.nullish(flag),
  webhookURL: v.nullish(httpUrl),
  uploadEndpoint: v.nullish(httpUrl),
  outputQuality: commonOutputFields.outputQuality,
  ttl: commonOutputFields.ttl,
  safety: commonOutputFields.safety,
  settings: v.nullish(openObject),
  providerSettings: v.nullish(openObject),
};

/** A processed video. */
export interface VideoToolResult {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly videoUUID?: string;
  readonly videoURL?: string;
  readonly mediaUUID?: string;
  readonly mediaURL?: string;
  readonly cost?: number;
  readonly status?: string;
}

/** A video's description, in segments of text. */
export interface VideoCaptionResult {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly text?: string;
  readonly structuredData?: Readonly<Record<string, unknown>>;
  readonly cost?: number;
  readonly status?: string;
}

/** `caption` of a video: text describing it. */
export const videoCaption = defineTask({
  name: 'videoCaption',
  aliases: [],
  taskType: 'caption',
  params: v.strictObject({ inputs: videoInput, model: v.nullish(model), prompt: v.nullish(text), deliveryMethod: asyncOnly, includeCost: v.nullish(flag), webhookURL: v.nullish(httpUrl) }),
  delivery: 'poll',
  defaults: { deliveryMethod: 'async' },
  storedInputs: STORED,
  result: fieldResult<VideoCaptionResult>('text', 'structuredData'),
});

/** `upscale` of a video. */
export const videoUpscale = defineTask({
  name: 'videoUpscale',
  aliases: [],
  taskType: 'upscale',
  params: v.strictObject({
    inputs: videoInput,
    model: v.nullish(model),
    upscaleFactor: v.nullish(integerIn(1, 8)),
    width: v.nullish(integerIn(64, 8192)),
    height: v.nullish(integerIn(64, 8192)),
    fps: v.nullish(integerIn(1, 240)),
    deliveryMethod: asyncOnly,
    ...videoOutput,
  }),
  delivery: 'poll',
  defaults: { deliveryMethod: 'async' },
  storedInputs: STORED,
  result: outputUUID<VideoToolResult>('videoUUID', 'mediaUUID'),
});

/** `removeBackground` of a video. */
export const videoBackgroundRemoval = defineTask({
  name: 'videoBackgroundRemoval',
  aliases: ['videoRemoveBackground'],
  taskType: 'removeBackground',
  params: v.strictObject({ inputs: videoInput, model: v.nullish(model), deliveryMethod: asyncOnly, ...videoOutput }),
  delivery: 'poll',
  defaults: { deliveryMethod: 'async' },
  storedInputs: STORED,
  result: outputUUID<VideoToolResult>('videoUUID', 'mediaUUID'),
});

/** What `videoCaption` accepts. */
export type VideoCaptionParams = ParamsOf<typeof videoCaption>;
/** What `videoUpscale` accepts. */
export type VideoUpscaleParams = ParamsOf<typeof videoUpscale>;
/** What `videoBackgroundRemoval` accepts. */
export type VideoBackgroundRemovalParams = ParamsOf<typeof videoBackgroundRemoval>;
