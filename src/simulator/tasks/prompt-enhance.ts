import type { SimulatorEnv } from '../env.js';
import { hashString } from '../media/prng.js';
import { mulberry32 } from '../random.js';
import type { TaskObject } from '../types.js';
import { readParams } from './params.js';
import { costOf, definePricedTool, priced, type Priced, readDeliveryMethod } from './tool-task.js';

/** Validated `promptEnhance` parameters (protocol §4.9). */
interface EnhanceParams extends Priced {
  readonly prompt: string;
  readonly promptMaxLength: number;
  readonly promptVersions: number;
  readonly deliveryMethod: 'sync' | 'async';
}

/** js-legacy's and py-legacy's default, applied when the field is absent (docs mark it required). */
const DEFAULT_MAX_LENGTH = 380;

const parseEnhance = (task: TaskObject, env: SimulatorEnv): EnhanceParams => {
  const read = readParams(task, env.options);
  const prompt = read.string('prompt', { min: 1, max: 300 });
  // Docs 12–400; older SDK docs 4–400. The wider range: a client sending 4 must not fail here.
  const promptMaxLength = read.optionalInteger('promptMaxLength', { min: 4, max: 400 }) ?? DEFAULT_MAX_LENGTH;
  const promptVersions = read.optionalInteger('promptVersions', { min: 1, max: 5 }) ?? 1;
  read.optionalModel();
  return { prompt, promptMaxLength, promptVersions, deliveryMethod: readDeliveryMethod(read), ...priced(read, 0.0003 * promptVersions) };
};

const STYLES = ['photorealistic', 'cinematic composition', 'painterly style', 'editorial photography', 'digital illustration', 'concept art', 'watercolour textures', 'film still'];
const LIGHT = ['soft golden-hour light', 'dramatic rim lighting', 'diffused overcast light', 'warm ambient glow', 'moody low-key lighting', 'crisp morning light', 'neon reflections', 'candlelit warmth'];
const CAMERA = ['35mm lens', 'wide-angle view', 'shallow depth of field', 'close-up framing', 'aerial perspective', 'rule-of-thirds framing', 'low camera angle', 'long exposure'];
const DETAIL = ['highly detailed', 'intricate textures', 'sharp focus', 'rich colour palette', 'fine surface detail', 'subtle film grain', 'high dynamic range', 'balanced composition'];

/** The longest prefix of `text` within `max` characters, cut after a whole phrase (or word) where one fits. */
const fit = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const phrase = cut.lastIndexOf(', ');
  if (phrase > 0) return cut.slice(0, phrase);
  const word = cut.lastIndexOf(' ');
  return word > 0 ? cut.slice(0, word) : cut;
};

/**
 * The enhanced prompts: version `i` is the prompt followed by a style, a light, a camera and a
 * detail phrase drawn from a seeded stream of (prompt, i), cut after a whole phrase to fit
 * `promptMaxLength`. Deterministic; versions differ from each other (a duplicate after cutting is
 * redrawn, and past ten tries ends in ` v<i+1>`, so even 4 characters give distinct texts).
 */
export const enhancedPrompts = (prompt: string, maxLength: number, versions: number): string[] => {
  const base = prompt.trim().replace(/[\s.,;:!]+$/, '') || prompt;
  const texts: string[] = [];
  for (let version = 0; version < versions; version++) {
    let text = '';
    for (let attempt = 0; attempt < 10 && (text === '' || texts.includes(text)); attempt++) {
      const random = mulberry32(hashString(`${version}\u0000${attempt}\u0000${prompt}`));
      const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
      text = fit([base, pick(STYLES), pick(LIGHT), pick(CAMERA), pick(DETAIL)].join(', '), maxLength);
    }
    if (texts.includes(text)) {
      const suffix = ` v${version + 1}`;
      text = `${fit(base, maxLength - suffix.length).slice(0, maxLength - suffix.length)}${suffix}`;
    }
    texts.push(text);
  }
  return texts;
};

/**
 * `promptEnhance`: `promptVersions` items (default 1), each `{ taskType, taskUUID, text, cost? }`
 * with a text of at most `promptMaxLength` characters (default 380); see {@link enhancedPrompts}.
 */
export const promptEnhance = definePricedTool({
  parse: (task, context) => parseEnhance(task, context.env),
  answer(params, context) {
    const { taskType, taskUUID } = context;
    const texts = enhancedPrompts(params.prompt, params.promptMaxLength, params.promptVersions);
    return {
      deliveryMethod: params.deliveryMethod,
      results: texts.length,
      produce: (index) => ({ taskType, taskUUID, text: texts[index]!, ...costOf(params, 1 / texts.length) }),
    };
  },
});
