import type { SimulatorEnv } from '../env.js';
import type { ImageFormat } from '../media/formats.js';
import type { OutputType } from '../media/media-engine.js';
import type { ParamReader } from './params.js';

/** A file's extension and Content-Type. */
export interface FileType {
  readonly extension: string;
  readonly mime: string;
}

/**
 * Keeps an output file under its UUID (so it is served by URL and can be the input of a later
 * task, whatever the output type) and answers with the field `outputType` asks for:
 * `<prefix>URL`, `<prefix>Base64Data` or `<prefix>DataURI` (protocol §4.1).
 *
 * @param env The simulator.
 * @param prefix The result's field prefix: `audio`, `guideImage`, `maskImage`, `image`.
 * @param uuid The output's UUID.
 * @param bytes The file.
 * @param type Its extension and Content-Type.
 * @param outputType How the result carries it.
 * @returns The one output field.
 */
export const keepOutput = (env: SimulatorEnv, prefix: string, uuid: string, bytes: Buffer, type: FileType, outputType: OutputType): Record<string, string> => {
  const url = env.media.library.keep(uuid, { bytes, mime: type.mime }, type.extension);
  if (outputType === 'URL') return { [`${prefix}URL`]: url };
  const base64 = bytes.toString('base64');
  return outputType === 'base64Data' ? { [`${prefix}Base64Data`]: base64 } : { [`${prefix}DataURI`]: `data:${type.mime};base64,${base64}` };
};

/**
 * The placeholder of `format` (fast mode) under `prefix` instead of `image` (`guideImageURL`,
 * `maskImageBase64Data`): kept under `uuid` like every output, named as the task's results are.
 */
export const placeholderOutput = (env: SimulatorEnv, prefix: string, uuid: string, format: ImageFormat, outputType: OutputType): Record<string, string> => {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(env.media.output(uuid, format, outputType, undefined))) fields[prefix + key.slice('image'.length)] = value;
  return fields;
};

/** `outputType`, as the tasks with media outputs read it: `URL` (default), `base64Data` or `dataURI`. */
export const readOutputType = (read: ParamReader): OutputType => read.optionalChoice('outputType', ['URL', 'base64Data', 'dataURI']) ?? 'URL';

/** Whether the simulator draws real media (false in fast mode: every output is a placeholder). */
export const realMedia = (env: SimulatorEnv): boolean => env.options.media;
