import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';

/** What a decoder made of an audio file. */
export interface DecodedAudio {
  readonly format: 'MP3' | 'WAV' | 'FLAC' | 'OGG';
  readonly sampleRate: number;
  readonly channels: number;
  /** Frames (samples per channel) decoded. */
  readonly frames: number;
  readonly seconds: number;
  /** The first channel, for checks on the signal itself. */
  readonly samples: Float32Array;
}

/** Reads a canonical 16-bit PCM WAV by its header, checking every field a player relies on. */
const decodeWav = (bytes: Buffer): DecodedAudio => {
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  if (bytes.readUInt32LE(4) !== bytes.length - 8) throw new Error('RIFF size does not match the file');
  if (bytes.toString('ascii', 12, 16) !== 'fmt ' || bytes.readUInt16LE(20) !== 1) throw new Error('not PCM');
  const channels = bytes.readUInt16LE(22);
  const sampleRate = bytes.readUInt32LE(24);
  const bits = bytes.readUInt16LE(34);
  if (bytes.readUInt32LE(28) !== sampleRate * channels * (bits / 8)) throw new Error('byte rate does not match');
  if (bytes.toString('ascii', 36, 40) !== 'data') throw new Error('no data chunk');
  const dataBytes = bytes.readUInt32LE(40);
  if (44 + dataBytes !== bytes.length) throw new Error('data size does not match the file');
  const frames = dataBytes / (channels * (bits / 8));
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) samples[i] = bytes.readInt16LE(44 + i * channels * 2) / 32768;
  return { format: 'WAV', sampleRate, channels, frames, seconds: frames / sampleRate, samples };
};

/**
 * Decodes an audio file with a real decoder of its format (WASM builds of mpg123, libFLAC and
 * libvorbis; the WAV header is read by hand), sniffing the format from its first bytes.
 */
export const decodeAudio = async (bytes: Buffer): Promise<DecodedAudio> => {
  const magic = bytes.toString('ascii', 0, 4);
  if (magic === 'RIFF') return decodeWav(bytes);
  if (magic === 'fLaC') {
    const decoder = new FLACDecoder();
    await decoder.ready;
    try {
      const decoded = await decoder.decodeFile(bytes);
      if (decoded.errors.length > 0) throw new Error(`FLAC decoding errors: ${JSON.stringify(decoded.errors)}`);
      return { format: 'FLAC', sampleRate: decoded.sampleRate, channels: decoded.channelData.length, frames: decoded.samplesDecoded, seconds: decoded.samplesDecoded / decoded.sampleRate, samples: decoded.channelData[0]! };
    } finally {
      decoder.free();
    }
  }
  if (magic === 'OggS') {
    const decoder = new OggVorbisDecoder();
    await decoder.ready;
    try {
      const decoded = await decoder.decodeFile(bytes);
      if (decoded.errors.length > 0) throw new Error(`Vorbis decoding errors: ${JSON.stringify(decoded.errors)}`);
      return { format: 'OGG', sampleRate: decoded.sampleRate, channels: decoded.channelData.length, frames: decoded.samplesDecoded, seconds: decoded.samplesDecoded / decoded.sampleRate, samples: decoded.channelData[0]! };
    } finally {
      decoder.free();
    }
  }
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const decoded = decoder.decode(bytes);
    if (decoded.errors.length > 0 || decoded.samplesDecoded === 0) throw new Error(`MP3 decoding failed: ${JSON.stringify(decoded.errors)}`);
    return { format: 'MP3', sampleRate: decoded.sampleRate, channels: decoded.channelData.length, frames: decoded.samplesDecoded, seconds: decoded.samplesDecoded / decoded.sampleRate, samples: decoded.channelData[0]! };
  } finally {
    decoder.free();
  }
};

/** The root mean square of a signal: 0 for silence. */
export const rms = (samples: Float32Array): number => Math.sqrt(samples.reduce((sum, sample) => sum + sample * sample, 0) / Math.max(1, samples.length));
