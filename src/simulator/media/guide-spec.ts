import type { ImageFormat } from './formats.js';

/** What `controlNetPreprocess` is asked to make (protocol §4.11): the preprocessor, and at what size. */

export const PREPROCESSORS = ['canny', 'depth', 'mlsd', 'normalbae', 'openpose', 'tile', 'seg', 'lineart', 'lineart_anime', 'shuffle', 'scribble', 'softedge'] as const;
export type Preprocessor = (typeof PREPROCESSORS)[number];

/** What to make, and at what size. */
export interface GuideSpec {
  readonly preProcessorType: Preprocessor;
  /** The output size: the input's, unless `width`/`height` asked for a smaller one. */
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  readonly lowThresholdCanny: number;
  readonly highThresholdCanny: number;
  readonly includeHandsAndFaceOpenPose: boolean;
  readonly format: ImageFormat;
  readonly quality?: number | undefined;
}

/**
 * The output size: `width`/`height` only ever downscale (protocol §4.11), and with one of them
 * given the other follows the input's aspect ratio.
 */
export const guideSize = (input: { width: number; height: number }, spec: Pick<GuideSpec, 'width' | 'height'>): { width: number; height: number } => {
  const scale = Math.min(1, spec.width === undefined ? Infinity : spec.width / input.width, spec.height === undefined ? Infinity : spec.height / input.height);
  if (!Number.isFinite(scale)) return input;
  return { width: Math.max(1, Math.round(input.width * scale)), height: Math.max(1, Math.round(input.height * scale)) };
};
