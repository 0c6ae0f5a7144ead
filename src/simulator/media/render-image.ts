import type { ImageFormat } from './formats.js';
import type { Sharp } from './optional-deps.js';
import { sceneFor, sceneSvg } from './scene.js';

/** What to draw: the picture depends only on prompt and seed; the size and format are exact. */
export interface ImageSpec {
  readonly prompt: string;
  readonly seed: number;
  readonly width: number;
  readonly height: number;
  readonly format: ImageFormat;
  /** 20-99; applies to JPG and WEBP. */
  readonly quality?: number | undefined;
}

/**
 * Draws the prompt's scene as SVG and lets sharp rasterise and encode it. All the pixel work runs on
 * libuv's thread pool, so the event loop (and every other socket) stays responsive.
 */
export const renderImage = async (sharp: Sharp, spec: ImageSpec): Promise<Buffer> => {
  const svg = sceneSvg(sceneFor(spec.prompt, spec.seed), spec.width, spec.height);
  const image = sharp(Buffer.from(svg));
  const quality = spec.quality ?? 90;
  switch (spec.format) {
    case 'PNG':
      return image.png({ compressionLevel: 6 }).toBuffer();
    case 'JPG':
      return image.flatten().jpeg({ quality }).toBuffer();
    case 'WEBP':
      return image.webp({ quality }).toBuffer();
  }
};
