import { decode, decoding, imageSize, rgba } from './image-tools.js';
import type { Sharp, TraceToSvg } from './optional-deps.js';

/**
 * `vectorize`'s tracing: the input, scaled to at most {@link TRACE_SIDE} pixels on its long side
 * (the tracer runs on the main thread), quantised to 16 colours and traced into filled paths by
 * imagetracerjs, its deterministic settings (colour sampling by grid, no random restarts). The
 * SVG keeps the tracing's coordinates in its `viewBox` and says the input's size in `width` and
 * `height`, so it renders at the input's size.
 */
export const TRACE_SIDE = 384;

const TRACE_OPTIONS = { numberofcolors: 16, colorsampling: 2, colorquantcycles: 3, mincolorratio: 0, pathomit: 4, ltres: 1, qtres: 1, roundcoords: 1, strokewidth: 1, viewbox: true, desc: false, scale: 1, blurradius: 0 };

/**
 * Traces an image into an SVG document.
 *
 * @param sharp To decode and scale the input.
 * @param trace imagetracerjs's `imagedataToSVG`.
 * @param bytes The input image.
 * @returns The SVG, UTF-8.
 */
export const traceImage = async (sharp: Sharp, trace: TraceToSvg, bytes: Uint8Array): Promise<Buffer> => {
  const { width, height } = await imageSize(sharp, bytes);
  const pixels = await rgba(decode(sharp, bytes).resize(TRACE_SIDE, TRACE_SIDE, { fit: 'inside', withoutEnlargement: true }));
  const svg = await decoding(() => Promise.resolve().then(() => trace({ width: pixels.width, height: pixels.height, data: new Uint8ClampedArray(pixels.data.buffer, pixels.data.byteOffset, pixels.data.length) }, { ...TRACE_OPTIONS })));
  return Buffer.from(svg.replace(/^<svg /, `<svg width="${width}" height="${height}" preserveAspectRatio="none" `), 'utf8');
};

/** The SVG answered without a tracer (or in fast mode): a square of one colour. */
export const placeholderSvg = (): Buffer => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8" viewBox="0 0 8 8"><rect width="8" height="8" fill="#7a5a9a"/></svg>', 'utf8');
