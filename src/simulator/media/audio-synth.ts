import { randomFor } from './prng.js';

/**
 * The sound of an `audioInference` result: planar float PCM of exactly `duration × sampleRate`
 * frames, drawn from the prompt and seed (the same request always sounds the same). Music and
 * sound effects are a slow progression of chords of sine partials under a soft envelope; speech
 * is one short voiced burst (a fundamental with two formant-like partials) per syllable of the
 * text, with pauses at word gaps, so a longer text sounds longer in the same duration's pace.
 */

/** What to play. */
export interface SoundSpec {
  readonly prompt: string;
  readonly seed: number;
  /** Seconds; the file holds exactly `round(duration × sampleRate)` frames. */
  readonly duration: number;
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  /** Speech: the text spoken; absent for music and sound effects. */
  readonly speech?: string | undefined;
}

/** Peak amplitude: well below full scale, so lossy encoders never clip. */
const LEVEL = 0.3;

/** Frequencies of a just-intonation chord on a root, as ratios. */
const CHORDS: readonly (readonly number[])[] = [
  [1, 5 / 4, 3 / 2],
  [1, 6 / 5, 3 / 2],
  [1, 4 / 3, 5 / 3],
  [1, 5 / 4, 15 / 8],
];

/** A syllable's rough count in a word: its groups of vowels (at least one). */
const syllables = (word: string): number => Math.max(1, word.match(/[aeiouyàâäéèêëîïôöùûü]+/gi)?.length ?? 1);

/**
 * Renders the sound.
 *
 * @param spec What to play, for how long, at what rate.
 * @returns One Float32Array per channel, each of the exact frame count.
 */
export const synthesise = (spec: SoundSpec): Float32Array[] => {
  const frames = Math.max(1, Math.round(spec.duration * spec.sampleRate));
  const left = new Float32Array(frames);
  const random = randomFor(spec.speech ?? spec.prompt, spec.seed);
  if (spec.speech === undefined) renderMusic(left, spec.sampleRate, random);
  else renderSpeech(left, spec.sampleRate, spec.speech, random);
  if (spec.channels === 1) return [left];
  // The right channel is the left a few milliseconds late: a stereo image, not a copy.
  const right = new Float32Array(frames);
  const delay = Math.round(0.004 * spec.sampleRate);
  right.set(left.subarray(0, frames - delay), delay);
  return [left, right];
};

function renderMusic(out: Float32Array, rate: number, random: () => number): void {
  const root = 110 * 2 ** (Math.floor(random() * 12) / 12);
  const chordSeconds = 1 + random() * 1.5;
  const chordFrames = Math.max(1, Math.round(chordSeconds * rate));
  const progression = Array.from({ length: 4 }, () => CHORDS[Math.floor(random() * CHORDS.length)]!);
  for (let start = 0, step = 0; start < out.length; start += chordFrames, step++) {
    const chord = progression[step % progression.length]!;
    const transpose = 2 ** (([0, 5, 7, 3][step % 4] ?? 0) / 12);
    const end = Math.min(out.length, start + chordFrames);
    for (let i = start; i < end; i++) {
      const t = (i - start) / rate;
      // Attack 20 ms, then an exponential decay: each chord is struck, not switched on.
      const envelope = Math.min(1, t / 0.02) * Math.exp(-1.5 * t);
      let sample = 0;
      for (const ratio of chord) sample += Math.sin(2 * Math.PI * root * transpose * ratio * (i / rate));
      out[i] = (LEVEL * envelope * sample) / chord.length;
    }
  }
}

function renderSpeech(out: Float32Array, rate: number, text: string, random: () => number): void {
  const words = text.split(/\s+/).filter((word) => word !== '');
  const units = words.flatMap((word, w) => [...Array.from({ length: syllables(word) }, () => 'syllable' as const), ...(w < words.length - 1 ? ['gap' as const] : [])]);
  if (units.length === 0) return;
  const unitFrames = out.length / units.length;
  const pitch = 100 + random() * 120;
  units.forEach((unit, u) => {
    if (unit === 'gap') return;
    const start = Math.floor(u * unitFrames);
    const end = Math.min(out.length, Math.floor((u + 1) * unitFrames * 0.85));
    const formant = 500 + random() * 1500;
    for (let i = start; i < end; i++) {
      const t = (i - start) / rate;
      const span = (end - start) / rate;
      const envelope = Math.sin((Math.PI * t) / span);
      const f0 = pitch * (1 + 0.05 * Math.sin(2 * Math.PI * 3 * t));
      const phase = 2 * Math.PI * f0 * (i / rate);
      out[i] = LEVEL * envelope * (0.6 * Math.sin(phase) + 0.25 * Math.sin(phase * Math.round(formant / f0)) + 0.15 * Math.sin(phase * 2));
    }
  });
}

/** A sample in [-1, 1] as a signed 16-bit integer (clamped). */
export const toInt16 = (sample: number): number => Math.max(-32768, Math.min(32767, Math.round(sample * 32767)));
