import { randomUUID } from 'node:crypto';
import type { SimulatorEnv } from '../env.js';
import { AUDIO_FORMATS, placeholderAudio, renderAudio, type AudioFormat } from '../media/audio-file.js';
import type { OutputType } from '../media/media-engine.js';
import type { Seed, TaskObject } from '../types.js';
import { ANY, checkFields, IMAGE, type MediaFields } from './inference-inputs.js';
import { keepOutput, readOutputType, realMedia } from './outputs.js';
import { missingParam, optionalObject, readNested, readParams } from './params.js';
import { drawingSeed, randomSeed, readSeed } from './seed.js';
import { costOf, definePricedTool, priced, type Priced, readDeliveryMethod } from './tool-task.js';

/** Validated `audioInference` parameters (protocol §4.4). */
interface AudioParams extends Priced {
  readonly model: string;
  readonly prompt: string;
  readonly speech: string | undefined;
  readonly duration: number;
  readonly numberResults: number;
  readonly seed: Seed | undefined;
  readonly outputType: OutputType;
  readonly outputFormat: AudioFormat;
  readonly sampleRate: number;
  readonly bitrate: number;
  readonly channels: 1 | 2;
  readonly deliveryMethod: 'sync' | 'async';
}

/**
 * Durations in seconds. The docs give 10–300 for their music models; sound effects and speech
 * are shorter, so the simulator takes from 1 s (unconfirmed).
 */
const DURATION = { min: 1, max: 300 };
/** Without a duration: music and effects take the docs' shortest, speech its text's length. */
const DEFAULT_DURATION = 10;
const SECONDS_PER_WORD = 0.4;

const INPUTS: MediaFields = {
  single: [['audio', ANY], ['video', ANY]],
  lists: [['audios', ANY], ['videos', ANY], ['referenceAudios', ANY], ['referenceImages', IMAGE]],
  objects: [['referenceVoices', 'audio', ANY]],
};

/** A price per second of audio, per result (made up, stable). */
const PRICE_PER_SECOND = 0.0005;

const parseAudio = (task: TaskObject, env: SimulatorEnv): AudioParams => {
  const read = readParams(task, env.options);
  const model = read.model();
  const positivePrompt = task['positivePrompt'] === undefined || task['positivePrompt'] === null ? undefined : read.string('positivePrompt', { min: 1, max: 3000 });
  const speechRead = readNested(task, 'speech', env.options);
  const speechGiven = optionalObject(task, 'speech') !== undefined;
  const speech = speechGiven ? speechRead.string('speech.text', { min: 1, max: 5000 }) : undefined;
  if (speechGiven) {
    speechRead.optionalNumber('speech.speed', { min: 0.25, max: 4 });
    speechRead.optionalNumber('speech.volume', { min: 0, max: 2 });
    speechRead.optionalNumber('speech.pitch', { min: -24, max: 24 });
  }
  // Music and effects are described by the prompt, speech by its text: one of them is needed.
  if (positivePrompt === undefined && speech === undefined) throw missingParam('positivePrompt', 'string');
  const words = speech?.split(/\s+/).filter(Boolean).length ?? 0;
  const duration = read.optionalNumber('duration', DURATION) ?? (speech === undefined ? DEFAULT_DURATION : Math.max(1, Math.min(DURATION.max, words * SECONDS_PER_WORD)));
  const numberResults = read.optionalInteger('numberResults', { min: 1, max: 3 }) ?? 1;
  const seed = readSeed(task);
  const outputType = readOutputType(read);
  const outputFormat = read.optionalChoice('outputFormat', ['MP3', 'WAV', 'FLAC', 'OGG'], 'unsupportedOutputFormat') ?? 'MP3';
  const settings = readNested(task, 'audioSettings', env.options);
  const sampleRate = settings.optionalInteger('audioSettings.sampleRate', { min: 8000, max: 48_000 }) ?? 44_100;
  const bitrate = settings.optionalInteger('audioSettings.bitrate', { min: 32, max: 320 }) ?? 128;
  const channels = (settings.optionalInteger('audioSettings.channels', { min: 1, max: 2 }) ?? 2) as 1 | 2;
  const inputs = optionalObject(task, 'inputs');
  if (inputs !== undefined) checkFields(inputs, 'inputs.', INPUTS, env);
  const deliveryMethod = readDeliveryMethod(read);
  return {
    model,
    prompt: positivePrompt ?? speech!,
    speech,
    duration,
    numberResults,
    seed,
    outputType,
    outputFormat,
    sampleRate,
    bitrate,
    channels,
    deliveryMethod,
    ...priced(read, PRICE_PER_SECOND * duration * numberResults),
  };
};

/**
 * `audioInference`: `numberResults` files (1–3) of exactly `duration` seconds (WAV and FLAC to the
 * sample; MP3 and OGG as their decoders count, within a codec frame), as `outputFormat` (MP3 by
 * default; WAV, FLAC, OGG) at `audioSettings`' rate, bitrate and channels: a chord progression
 * drawn from the prompt and seed, or for `speech` one voiced burst per syllable of its text.
 * Results `{ taskType, taskUUID, audioUUID, audio<URL|Base64Data|DataURI>, seed, cost? }`, pushed
 * (sync, the default) or polled (async). Fast mode: a quarter second of silence per format.
 */
export const audioInference = definePricedTool({
  parse: (task, context) => parseAudio(task, context.env),
  answer(params, context) {
    const { env, taskType, taskUUID } = context;
    return {
      deliveryMethod: params.deliveryMethod,
      results: params.numberResults,
      firstSeed: params.seed ?? randomSeed(),
      async produce(_index, seed) {
        const type = AUDIO_FORMATS[params.outputFormat];
        const real = realMedia(env) ? await renderAudio({ ...params, seed: drawingSeed(seed), format: params.outputFormat }, env.media.audioEncoders) : undefined;
        const audioUUID = randomUUID();
        const fields = keepOutput(env, 'audio', audioUUID, real ?? placeholderAudio(params.outputFormat), type, params.outputType);
        return { taskType, taskUUID, audioUUID, ...fields, seed, ...costOf(params, 1 / params.numberResults) };
      },
    };
  },
});
