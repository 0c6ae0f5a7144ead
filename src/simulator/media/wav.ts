import { toInt16 } from './audio-synth.js';

/**
 * A WAV file (RIFF, PCM, 16 bits a sample, channels interleaved): the 44-byte canonical header,
 * then the samples. Its length in frames is exactly that of the channels given.
 *
 * @param channels Planar samples in [-1, 1], all of the same length.
 * @param sampleRate Frames per second.
 * @returns The file.
 */
export const encodeWav = (channels: readonly Float32Array[], sampleRate: number): Buffer => {
  const frames = channels[0]?.length ?? 0;
  const blockAlign = 2 * channels.length;
  const dataBytes = frames * blockAlign;
  const file = Buffer.alloc(44 + dataBytes);
  file.write('RIFF', 0, 'ascii');
  file.writeUInt32LE(36 + dataBytes, 4);
  file.write('WAVE', 8, 'ascii');
  file.write('fmt ', 12, 'ascii');
  file.writeUInt32LE(16, 16); // fmt chunk size
  file.writeUInt16LE(1, 20); // PCM
  file.writeUInt16LE(channels.length, 22);
  file.writeUInt32LE(sampleRate, 24);
  file.writeUInt32LE(sampleRate * blockAlign, 28); // byte rate
  file.writeUInt16LE(blockAlign, 32);
  file.writeUInt16LE(16, 34); // bits per sample
  file.write('data', 36, 'ascii');
  file.writeUInt32LE(dataBytes, 40);
  let offset = 44;
  for (let i = 0; i < frames; i++) {
    for (const channel of channels) {
      file.writeInt16LE(toInt16(channel[i]!), offset);
      offset += 2;
    }
  }
  return file;
};
