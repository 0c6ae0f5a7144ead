/**
 * The few models the simulator knows specifically. Everything else is accepted with the generic
 * limits; these exist so clients can exercise per-model checks such as `unsupportedDuration`.
 */

/** Video models that accept only some durations (seconds), as the real providers do. */
export const VIDEO_MODEL_DURATIONS: Readonly<Record<string, readonly number[]>> = {
  'klingai:5@3': [5, 10],
  'google:3@3': [8],
  'minimax:3@1': [6, 10],
};

/** The allowed durations of a video model, or undefined when it takes any duration in the generic range. */
export const allowedDurations = (model: string): readonly number[] | undefined =>
  Object.hasOwn(VIDEO_MODEL_DURATIONS, model) ? VIDEO_MODEL_DURATIONS[model] : undefined;
