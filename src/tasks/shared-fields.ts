import * as v from 'valibot';

/*
 * Fields several tasks share (§4.1 of the protocol reference). Ranges are the documented generic
 * limits; per-model limits (allowed durations, sizes that must be multiples of 64) are the
 * server's to check, so a model with wider limits is never blocked by the SDK.
 */

/** An integer within a closed range. */
// @__NO_SIDE_EFFECTS__
export const integerIn = (min: number, max: number) =>
  v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

/** A number within a closed range. */
// @__NO_SIDE_EFFECTS__
export const numberIn = (min: number, max: number) => v.pipe(v.number(), v.minValue(min), v.maxValue(max));

/** A string with a length within a closed range. */
// @__NO_SIDE_EFFECTS__
export const textOf = (min: number, max: number) => v.pipe(v.string(), v.minLength(min), v.maxLength(max));

/** A model identifier (AIR such as `runware:101@1`). */
export const model = v.pipe(v.string(), v.nonEmpty('model is required'));

/** An image, video or audio input: a UUID of an uploaded asset, a URL, a data URI or base64. */
export const mediaInput = v.pipe(v.string(), v.nonEmpty());

/** A seed: a positive integer. */
export const seed = v.pipe(v.number(), v.integer(), v.minValue(1));

/** Where a result goes besides the reply: an http(s) URL. */
export const httpUrl = v.pipe(v.string(), v.url());

/** A free-form object whose fields the server validates per model (settings, providerSettings...). */
export const openObject = v.looseObject({});

/** Content checking of inputs/outputs. */
export const safety = v.strictObject({
  checkContent: v.optional(v.boolean()),
  mode: v.optional(v.picklist(['none', 'fast', 'full'])),
});

/** A LoRA applied to a generation. */
export const lora = v.looseObject({
  model,
  weight: v.optional(numberIn(-4, 4)),
  transformer: v.optional(v.picklist(['high', 'low', 'both'])),
});

/** Fields every media-producing task accepts. */
export const commonOutputFields = {
  includeCost: v.optional(v.boolean()),
  webhookURL: v.optional(httpUrl),
  uploadEndpoint: v.optional(httpUrl),
  ttl: v.optional(v.pipe(v.number(), v.integer(), v.minValue(60))),
  outputQuality: v.optional(integerIn(20, 99)),
  settings: v.optional(openObject),
  providerSettings: v.optional(openObject),
  inputs: v.optional(openObject),
  acceleration: v.optional(v.picklist(['none', 'low', 'medium', 'high'])),
  acceleratorOptions: v.optional(openObject),
  advancedFeatures: v.optional(openObject),
  safety: v.optional(safety),
};
