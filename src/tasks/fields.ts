import * as v from 'valibot';
import type { MediaValue } from './media-value.js';
import { isMediaValue } from './media-value.js';

/*
 * The building blocks of every task's parameter schema. Each states its rule once, in plain
 * words ("must be an integer from 128 to 2048"); the check names the field and the value it got.
 * Ranges are the broadest that some model, SDK or version of the docs takes, and often wider
 * than the general limits the docs state (an audio task's `numberResults`, a video's `fps`): per-
 * model rules (allowed durations, multiples of 64, sizes of a given provider) are the server's to
 * check, whose refusal is as clear, so a model with wider limits is never blocked by the SDK. Objects are strict objects for the types (a misspelt field does not
 * compile), while at run time unknown fields are passed on with a warning (`check-params.ts`).
 * Optional fields are `v.nullish`, so that their type takes the `null` the official clients send
 * for a field left unset; the rule itself is in `snapshot-params.ts`, which leaves such a field out.
 */

/** An integer within a closed range. */
// @__NO_SIDE_EFFECTS__
export const integerIn = (min: number, max: number) => {
  const rule = `must be an integer from ${min} to ${max}`;
  return v.pipe(v.number(rule), v.integer(rule), v.minValue(min, rule), v.maxValue(max, rule));
};

/** A number within a closed range. */
// @__NO_SIDE_EFFECTS__
export const numberIn = (min: number, max: number) => {
  const rule = `must be a number from ${min} to ${max}`;
  return v.pipe(v.number(rule), v.minValue(min, rule), v.maxValue(max, rule));
};

/** A number above a bound. */
// @__NO_SIDE_EFFECTS__
export const numberAbove = (min: number) => {
  const rule = `must be a number above ${min}`;
  return v.pipe(v.number(rule), v.gtValue(min, rule));
};

/** A string with a length within a closed range. */
// @__NO_SIDE_EFFECTS__
export const textOf = (min: number, max: number) => {
  const rule = `must be a string of ${min} to ${max} characters`;
  return v.pipe(v.string(rule), v.minLength(min, rule), v.maxLength(max, rule));
};

/** Any string. */
export const text = v.string('must be a string');

/** Any number, for fields whose range the sources do not give. */
export const number = v.number('must be a number');

/** One of a few values; letters in either case when `anyCase` (the API takes `png` and `PNG`). */
// @__NO_SIDE_EFFECTS__
export const oneOf = <const T extends readonly string[]>(values: T, anyCase = false) => {
  const rule = `must be one of ${values.join(', ')}`;
  if (!anyCase) return v.picklist(values, rule);
  const upper = new Set(values.map((value) => value.toUpperCase()));
  return v.custom<T[number] | Lowercase<T[number]>>((value) => typeof value === 'string' && upper.has(value.toUpperCase()), rule);
};

/** True or false. */
export const flag = v.boolean('must be true or false');

/** A whole number from 0. */
export const count = v.pipe(v.number('must be a whole number from 0'), v.integer('must be a whole number from 0'), v.minValue(0, 'must be a whole number from 0'));

/** A model identifier (an AIR such as `runware:101@1`; not always numeric: `xai:grok-imagine@image-quality`). */
export const model = v.pipe(v.string('must be a model AIR such as "runware:101@1"'), v.nonEmpty('must be a model AIR such as "runware:101@1"'));

/** The largest seed the API takes, 2^63 − 1 (protocol §4.2 and §4.3: a signed 64-bit integer). */
const MAX_SEED = 9223372036854775807n;

/**
 * A seed: an integer from 1 to 2^63 − 1. A number is exact only up to 2^53 − 1, so a larger seed
 * is a BigInt (sent as its digits, a JSON integer); a larger number is refused, as it may no longer
 * be the seed that was written (2^53 + 1 reads as 2^53).
 */
export const seed = v.custom<number | bigint>(
  (value) => (typeof value === 'bigint' ? value >= 1n && value <= MAX_SEED : typeof value === 'number' && Number.isSafeInteger(value) && value >= 1),
  `must be an integer from 1 to ${MAX_SEED}, given as a BigInt (such as ${MAX_SEED}n) above ${Number.MAX_SAFE_INTEGER}, where a number is not exact`,
);

/** Where a result goes besides the reply: an http(s) URL, nothing else. */
export const httpUrl = v.custom<string>((value) => typeof value === 'string' && /^https?:\/\/[^\s]+$/i.test(value), 'must be an http(s) URL');

/**
 * An image, video or audio input: the UUID of uploaded or generated media, an http(s) URL, a data
 * URI, base64, or bytes (`Blob`, `File`, `ArrayBuffer`, a typed array such as Node's `Buffer`, or
 * `fromFile(path)` in Node), which runware-rx encodes. A string is never read as a file path.
 */
export const mediaInput = v.custom<string | MediaValue>(
  (value) => (typeof value === 'string' && isMediaString(value)) || isMediaValue(value),
  'must be a URL (http or https), the UUID of uploaded media, a data URI, base64, or bytes (Blob, ArrayBuffer, Uint8Array); a file path is not read (give fromFile(path) from runware-rx/node)',
);

/**
 * A media input the API takes only by reference (a video tool's `inputs.video`): the UUID of
 * stored media or an http(s) URL. Bytes are taken too: they are uploaded first, whatever their
 * size (the definition lists the field in `storedInputs`).
 */
export const storedMediaInput = v.custom<string | MediaValue>(
  (value) => (typeof value === 'string' && isMediaReference(value)) || isMediaValue(value),
  'must be a URL (http or https), the UUID of uploaded media, or bytes (Blob, ArrayBuffer, Uint8Array), which are uploaded first; a data URI or base64 is not taken here',
);

/** A UUID v4, such as a taskUUID. */
export const uuid = v.pipe(v.string('must be a UUID v4'), v.uuid('must be a UUID v4'));

/** A taskUUID a caller names: answers are routed by its exact text, so it is the lower-case one the clients make. */
export const taskUUIDField = v.pipe(uuid, v.check((value) => value === value.toLowerCase(), 'must be in lower case: answers are routed by its exact text'));

/** A list of items, at most `max` of them. */
// @__NO_SIDE_EFFECTS__
export const list = <T extends v.GenericSchema>(item: T, max = 100) =>
  v.pipe(v.array(item, 'must be a list'), v.maxLength(max, `must be a list of at most ${max} items`));

/** A free-form object whose fields the server checks per model (`settings`, `providerSettings`...). */
export const openObject = v.looseObject({}, 'must be an object');

/** An object of known fields; unknown ones are passed on with a warning. */
// @__NO_SIDE_EFFECTS__
export const fields = <const T extends v.ObjectEntries>(entries: T) => v.strictObject(entries, 'must be an object');

/** Content checking of inputs and outputs. */
export const safety = fields({
  checkContent: v.nullish(flag),
  mode: v.nullish(oneOf(['none', 'fast', 'full'])),
});

/** A LoRA applied to a generation. */
export const lora = fields({
  model,
  weight: v.nullish(numberIn(-4, 4)),
  transformer: v.nullish(oneOf(['high', 'low', 'both'])),
});

/** Fields every media-producing task accepts. */
export const commonOutputFields = {
  includeCost: v.nullish(flag),
  webhookURL: v.nullish(httpUrl),
  uploadEndpoint: v.nullish(httpUrl),
  ttl: v.nullish(integerIn(60, Number.MAX_SAFE_INTEGER)),
  outputQuality: v.nullish(integerIn(20, 99)),
  settings: v.nullish(openObject),
  providerSettings: v.nullish(openObject),
  inputs: v.nullish(openObject),
  acceleration: v.nullish(oneOf(['none', 'low', 'medium', 'high'])),
  acceleratorOptions: v.nullish(openObject),
  advancedFeatures: v.nullish(openObject),
  safety: v.nullish(safety),
} as const;

/** A media string: a UUID, an http(s) URL, a data URI or base64; never a path, never another scheme. */
function isMediaString(value: string): boolean {
  if (value === '') return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  // A UUID or bare base64 has no scheme, and only their letters (a path has dots or backslashes,
  // and would be refused by the server after it was sent); of the schemes, only the web's and
  // data URIs are inputs.
  if (scheme === undefined) return UUID_TEXT.test(value) || isBase64(value);
  return scheme === 'http' || scheme === 'https' || scheme === 'data';
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A reference to media: a UUID, or an http(s) URL. */
function isMediaReference(value: string): boolean {
  return UUID_TEXT.test(value) || /^https?:\/\//i.test(value);
}

/**
 * Base64 of one alphabet, standard or URL-safe, padded at its end only, of a length base64 can
 * have, with the line breaks MIME puts in it. (A path of those letters alone cannot be told apart.)
 */
function isBase64(value: string): boolean {
  if (!STANDARD_BASE64.test(value) && !URL_SAFE_BASE64.test(value)) return false;
  const length = value.length - (value.match(/[\r\n]/g)?.length ?? 0);
  return length % 4 !== 1;
}

const STANDARD_BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}$/;
const URL_SAFE_BASE64 = /^[A-Za-z0-9\-_\r\n]+={0,2}$/;

/** How a result comes back: `URL`, `base64Data` or `dataURI`. */
export const outputType = v.nullish(oneOf(['URL', 'base64Data', 'dataURI']));

/** Whether a result is pushed on the socket (`sync`) or polled with `getResponse` (`async`). */
export const deliveryMethod = v.nullish(oneOf(['sync', 'async']));

/** The output fields of a task that answers with images: its type, format and delivery, and the common ones. */
export const imageOutputFields = {
  ...commonOutputFields,
  outputType,
  outputFormat: v.nullish(oneOf(['JPG', 'PNG', 'WEBP'], true)),
  deliveryMethod,
} as const;

/** `inputs.image`: the place of the input image in schema-style requests. */
export const imageInputs = v.nullish(fields({ image: v.nullish(mediaInput) }));

