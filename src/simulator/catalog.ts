/**
 * The models the simulator knows, and the rule by which it accepts the rest.
 *
 * The API validates models against its registry; a simulator cannot hold that registry, and users
 * test with their own models (a LoRA they uploaded, a civitai checkpoint). So the rule is:
 * a model is accepted when it is in the catalogue below, or when it is a well-formed AIR
 * (`namespace:id@version`, checked by the parameter reader) whose namespace is one the API uses.
 * Anything else (`nonexistent:999@999`) is `modelNotFound`, as the real API rejects it
 * (protocol §10.7). `startSimulator({ checkModels: false })` accepts every well-formed AIR.
 * The check is one `Set` lookup, so it costs nothing on the hot path.
 */

/** What a catalogued model does: the task family it belongs to. */
export type ModelFamily = 'image' | 'video' | 'upscale' | 'removeBackground' | 'caption' | 'promptEnhance' | 'audio' | 'text' | '3d' | 'masking' | 'vectorize' | 'photoMaker';

/** AIR namespaces the API serves models from (the providers, and civitai for community models). */
export const KNOWN_NAMESPACES: ReadonlySet<string> = new Set([
  'runware',
  'civitai',
  'klingai',
  'google',
  'pixverse',
  'minimax',
  'bytedance',
  'xai',
  'openai',
  'bfl',
  'ideogram',
  'lightricks',
  'alibaba',
  'midjourney',
  'bria',
  'recraft',
  'sourceful',
  'vidu',
  'lumaai',
  'runway',
  'sync',
  'elevenlabs',
]);

/** Models named by the docs and the reference (protocol §4, §10.7), by family. */
export const CATALOGUE: Readonly<Record<string, ModelFamily>> = {
  'runware:100@1': 'image',
  'runware:101@1': 'image',
  'civitai:139562@297320': 'image',
  'xai:grok-imagine@image-quality': 'image',
  'klingai:5@3': 'video',
  'klingai:kling-video@3-4k': 'video',
  'pixverse:1@5': 'video',
  'google:3@3': 'video',
  'minimax:3@1': 'video',
  'runware:500@1': 'upscale',
  'runware:501@1': 'upscale',
  'runware:502@1': 'upscale',
  'runware:503@1': 'upscale',
  'runware:504@1': 'upscale',
  'runware:109@1': 'removeBackground',
  'runware:110@1': 'removeBackground',
  'runware:112@1': 'removeBackground',
  'runware:112@2': 'removeBackground',
  'runware:112@3': 'removeBackground',
  'runware:112@4': 'removeBackground',
  'runware:112@5': 'removeBackground',
  'runware:112@6': 'removeBackground',
  'runware:112@7': 'removeBackground',
  'runware:112@8': 'removeBackground',
  'runware:112@9': 'removeBackground',
  'runware:112@10': 'removeBackground',
  'runware:150@2': 'caption',
  'runware:151@1': 'caption',
  'runware:152@1': 'caption',
  'runware:152@2': 'caption',
  'runware:llama-3-1-8b@prompt-enhancer': 'promptEnhance',
  'elevenlabs:1@1': 'audio',
  'google:gemma@4-31b': 'text',
  'runware:3d@1': '3d',
  'runware:35@1': 'masking',
  'runware:35@2': 'masking',
  'runware:35@15': 'masking',
  'recraft:1@1': 'vectorize',
};

/** The model a tool task uses when it names none (the API has a default per task, py-legacy says). */
export const DEFAULT_MODELS = {
  upscale: 'runware:500@1',
  removeBackground: 'runware:109@1',
  caption: 'runware:150@2',
} as const;

/** Video models that accept only some durations (seconds), as the real providers do. */
export const VIDEO_MODEL_DURATIONS: Readonly<Record<string, readonly number[]>> = {
  'klingai:5@3': [5, 10],
  'google:3@3': [8],
  'minimax:3@1': [6, 10],
};

/** The allowed durations of a video model, or undefined when it takes any duration in the generic range. */
export const allowedDurations = (model: string): readonly number[] | undefined =>
  Object.hasOwn(VIDEO_MODEL_DURATIONS, model) ? VIDEO_MODEL_DURATIONS[model] : undefined;

/**
 * The namespace of an AIR (`runware` of `runware:101@1`), as written: the source its models come from.
 *
 * @param air An AIR already checked for its shape (`namespace:id@version`).
 * @returns Its namespace.
 */
export const namespaceOf = (air: string): string => air.slice(0, air.indexOf(':'));

/**
 * Whether the simulator accepts a well-formed AIR as an existing model.
 *
 * @param air An AIR already checked for its shape (`namespace:id@version`).
 * @returns True for a catalogued model or a known namespace.
 */
export const isKnownModel = (air: string): boolean => {
  if (Object.hasOwn(CATALOGUE, air)) return true;
  const namespace = namespaceOf(air);
  return KNOWN_NAMESPACES.has(namespace) || KNOWN_NAMESPACES.has(namespace.toLowerCase());
};
