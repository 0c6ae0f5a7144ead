import { setImmediate as nextTurn } from 'node:timers/promises';
import { AUDIO_PLACEHOLDER_BASE64 } from './audio-placeholders.js';
import { synthesise, type SoundSpec } from './audio-synth.js';
import { encodeFlac } from './flac.js';
import type { AudioEncoder, AudioEncoders } from './optional-deps.js';
import { encodeWav } from './wav.js';

/** `audioInference`'s output formats (protocol §4.4: MP3 in the docs; MP3, WAV, FLAC and OGG in ts-new). */
export type AudioFormat = 'MP3' | 'WAV' | 'FLAC' | 'OGG';

/** Each format's file extension and Content-Type. */
export const AUDIO_FORMATS: Readonly<Record<AudioFormat, { readonly extension: string; readonly mime: string }>> = {
  MP3: { extension: 'mp3', mime: 'audio/mpeg' },
  WAV: { extension: 'wav', mime: 'audio/wav' },
  FLAC: { extension: 'flac', mime: 'audio/flac' },
  OGG: { extension: 'ogg', mime: 'audio/ogg' },
};

/** What to encode, beside the sound: the lossy formats' bitrate in kbit/s. */
export interface AudioFileSpec extends SoundSpec {
  readonly format: AudioFormat;
  readonly bitrate: number;
}

/** LAME's constant bitrates; a requested rate takes the nearest. */
const MP3_BITRATES = [8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] as const;
/** The sample rates MPEG audio has; a requested rate takes the nearest (the file then says which). */
const MP3_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000] as const;

const nearest = <T extends number>(values: readonly T[], wanted: number): T =>
  values.reduce((best, value) => (Math.abs(value - wanted) < Math.abs(best - wanted) ? value : best));

/** Samples fed to a lossy encoder per call: bounded WASM memory, and a turn of the event loop between calls. */
const CHUNK = 65_536;

/**
 * Feeds the sound to a WASM encoder a chunk at a time, yielding to the event loop between chunks
 * (the encoders run on the main thread: a five-minute MP3 must not stall every socket).
 */
const encodeLossy = async (encoder: AudioEncoder, channels: readonly Float32Array[]): Promise<Buffer> => {
  const parts: Buffer[] = [];
  const frames = channels[0]!.length;
  for (let start = 0; start < frames; start += CHUNK) {
    // The encoder owns the bytes it returns until its next call: copy them.
    parts.push(Buffer.from(encoder.encode(channels.map((channel) => channel.subarray(start, start + CHUNK)))));
    await nextTurn();
  }
  parts.push(Buffer.from(encoder.finalize()));
  return Buffer.concat(parts);
};

/**
 * Synthesises and encodes one audio file. WAV and FLAC are written by hand and are exact in
 * length; MP3 (LAME, constant bitrate) and OGG (Vorbis, quality from the bitrate) need
 * wasm-media-encoders, and their decoders may add the codec's own padding (an MP3 frame or so).
 *
 * @param spec The sound and its format.
 * @param encoders The lossy encoders, when the package loaded.
 * @returns The file, or undefined when its format needs an encoder that is not there.
 */
export const renderAudio = async (spec: AudioFileSpec, encoders: AudioEncoders | undefined): Promise<Buffer | undefined> => {
  if (spec.format === 'WAV') return encodeWav(synthesise(spec), spec.sampleRate);
  if (spec.format === 'FLAC') return encodeFlac(synthesise(spec), spec.sampleRate);
  if (encoders === undefined) return undefined;
  if (spec.format === 'MP3') {
    const sampleRate = nearest(MP3_RATES, spec.sampleRate);
    const encoder = await encoders.mp3();
    encoder.configure({ channels: spec.channels, sampleRate, bitrate: nearest(MP3_BITRATES, spec.bitrate) });
    return encodeLossy(encoder, synthesise({ ...spec, sampleRate }));
  }
  const encoder = await encoders.ogg();
  // Vorbis is variable-bitrate: quality 0 is about 64 kbit/s, each step about 16 kbit/s more at 44.1 kHz.
  // The stream's serial number is random by default: the seed makes the file the same every time.
  const vbrQuality = Math.max(-1, Math.min(10, (spec.bitrate - 64) / 16));
  encoder.configure({ channels: spec.channels, sampleRate: spec.sampleRate, vbrQuality, oggSerialNo: spec.seed % 2 ** 31 });
  return encodeLossy(encoder, synthesise(spec));
};

/** The fast mode's file of each format: a quarter of a second of silence. */
export const placeholderAudio = (format: AudioFormat): Buffer => {
  if (format === 'MP3') return Buffer.from(AUDIO_PLACEHOLDER_BASE64.mp3, 'base64');
  if (format === 'OGG') return Buffer.from(AUDIO_PLACEHOLDER_BASE64.ogg, 'base64');
  const silence = [new Float32Array(4000)];
  return format === 'WAV' ? encodeWav(silence, 16_000) : encodeFlac(silence, 16_000);
};
