import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkParams } from '../../src/tasks/check-params.js';
import { imageInference, promptEnhance, upscale, videoInference } from 'runware-rx/tasks';

/*
 * What a request is checked against, and in which words: known fields strictly, every problem at
 * once, named by path with the value and the rule; unknown fields passed on and reported; a
 * value JSON cannot carry refused; and what passes is exactly what is sent.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse at dusk', width: 512, height: 512 };
const check = (input: unknown) => checkParams(imageInference.params, input);
const messages = (input: unknown) => {
  const result = check(input);
  return result.success ? [] : result.issues.map((issue) => issue.message);
};

describe('known fields', () => {
  it('pass a valid request through as a JSON copy, which is what is sent', () => {
    const result = check(image);
    expect(result).toEqual({ success: true, output: image, unknown: [], media: false });
    if (result.success) expect(result.output).not.toBe(image);
  });

  it('are named with their value and their rule, in plain words', () => {
    expect(messages({ ...image, width: 5000 })).toEqual(['width must be an integer from 64 to 4096 (got 5000)']);
    expect(messages({ ...image, width: '512' })).toEqual(['width must be an integer from 64 to 4096 (got "512")']);
    expect(messages({ ...image, outputFormat: 'GIF' })).toEqual(['outputFormat must be one of JPG, PNG, WEBP (got "GIF")']);
    expect(messages({ ...image, lora: [{ model: 'civitai:1@1', weight: 9 }] })).toEqual(['lora.0.weight must be a number from -4 to 4 (got 9)']);
    expect(messages({ positivePrompt: 'no model' })).toEqual(['model is required']);
    expect(messages({ ...image, webhookURL: 'ftp://example.com/hook' })).toEqual(['webhookURL must be an http(s) URL (got "ftp://example.com/hook")']);
  });

  it('report every problem of a request at once', () => {
    const result = check({ ...image, width: 5000, numberResults: 21, outputFormat: 'GIF', lora: [{ model: 'civitai:1@1', weight: 9 }] });
    expect(result.success ? [] : result.issues.map((issue) => issue.path)).toEqual(['width', 'numberResults', 'outputFormat', 'lora.0.weight']);
  });

  it('never take a list where an object goes', () => {
    expect(messages({ ...image, outpaint: [64] })).toEqual(['outpaint must be an object (got a list of 1)']);
    expect(messages({ ...image, settings: [] })).toEqual(['settings must be an object (got a list of 0)']);
  });

  it('accept the forms the API takes: output formats in either case, AIRs that are not numeric, both request styles', () => {
    expect(check({ ...image, outputFormat: 'png' }).success).toBe(true);
    expect(check({ ...image, model: 'xai:grok-imagine@image-quality' }).success).toBe(true);
    expect(check({ ...image, inputs: { seedImage: 'https://example.com/seed.png' }, strength: 0.6 }).success).toBe(true);
    const video = checkParams(videoInference.params, { model: 'klingai:kling-video@3-4k', positivePrompt: 'a city', duration: 5, width: 3840, height: 2160 });
    expect(video.success).toBe(true);
    const portrait = checkParams(videoInference.params, { model: 'pixverse:1@5', duration: 5, width: 720, height: 1280, seedVideo: 'https://example.com/in.mp4', strength: 0.5 });
    expect(portrait.success).toBe(true);
  });

  it('take media as a URL, a UUID, a data URI, base64 or bytes, and never another scheme', () => {
    const media = (value: unknown) => checkParams(upscale.params, { inputImage: value, upscaleFactor: 2 });
    for (const valid of ['https://example.com/a.png', 'b0c7b35f-2b7e-4a0c-9f47-6f0b2cdb2e91', 'data:image/png;base64,iVBORw0KGgo=', '/9j/4AAQSkZJRg==', new Uint8Array([1, 2, 3])]) {
      expect(media(valid).success, String(valid)).toBe(true);
    }
    for (const invalid of ['file:///etc/passwd', 'javascript:alert(1)', '', 42]) expect(media(invalid).success, String(invalid)).toBe(false);
    expect(media(new Uint8Array([1]))).toMatchObject({ success: true, media: true });
  });
});

describe('unknown fields', () => {
  it('are passed on untouched and reported, with the field probably meant', () => {
    const result = check({ ...image, widht: 512, safety: { checkContent: true, lvel: 2 }, brandNewOption: { a: 1 } });
    expect(result).toMatchObject({
      success: true,
      unknown: [
        { path: 'widht', suggestion: 'width' },
        { path: 'safety.lvel', suggestion: undefined },
        { path: 'brandNewOption', suggestion: undefined },
      ],
    });
    if (result.success) expect(result.output).toMatchObject({ widht: 512, safety: { checkContent: true, lvel: 2 }, brandNewOption: { a: 1 } });
  });

  it('are not reported when the caller added them on purpose', () => {
    expect(checkParams(imageInference.params, { ...image, brandNewOption: 1 }, new Set(['brandNewOption']))).toMatchObject({ success: true, unknown: [] });
  });
});

describe('what JSON cannot carry', () => {
  it('is refused, naming its path, before anything could be sent', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle['self'] = cycle;
    let deep: unknown = 1;
    for (let depth = 0; depth < 100; depth += 1) deep = { deep };
    const paths = (input: object) => {
      const result = check({ ...image, ...input });
      return result.success ? [] : result.issues.map((issue) => issue.path);
    };
    expect(paths({ width: 512n })).toEqual(['width']);
    expect(paths({ CFGScale: Number.NaN })).toEqual(['CFGScale']);
    expect(paths({ strength: Infinity })).toEqual(['strength']);
    expect(paths({ settings: cycle })).toEqual(['settings.self']);
    expect(paths({ settings: { when: new Date(0) } })).toEqual(['settings.when']);
    expect(paths({ settings: { map: new Map() } })).toEqual(['settings.map']);
    expect(paths({ settings: { run: () => 1 } })).toEqual(['settings.run']);
    expect(paths({ settings: { tag: Symbol('x') } })).toEqual(['settings.tag']);
    expect(paths({ lora: [undefined] })).toEqual(['lora.0']);
    expect(paths({ settings: deep as object }).length).toBe(1);
    // JSON.parse makes an own "__proto__"; a copy by assignment would set the prototype instead.
    expect(paths({ settings: JSON.parse('{"__proto__": {"width": 5000}}') as object })).toEqual(['settings.__proto__']);
    expect(paths(JSON.parse('{"__proto__": ""}') as object)).toEqual(['__proto__']);
  });

  it('leaves out what is not the caller’s own: inherited fields and symbols', () => {
    const inherited = Object.assign(Object.create({ width: 5000 }) as object, image, { [Symbol('x')]: 1 });
    expect(check(inherited)).toMatchObject({ success: true, output: image });
  });

  it('takes undefined fields as not given', () => {
    expect(check({ ...image, seed: undefined })).toMatchObject({ success: true, output: image });
  });

  it('refuses what is not an object at all', () => {
    for (const input of ['a lighthouse', null, 42, [image]]) expect(check(input).success).toBe(false);
  });
});

describe('generated invalid requests', () => {
  /** For some known fields, values their rule refuses. */
  const CORRUPTIONS: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
    width: fc.oneof(fc.integer({ max: 63 }), fc.integer({ min: 4097 }), fc.double({ noInteger: true, min: 65, max: 4000 }), fc.string()),
    steps: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 101 }), fc.boolean()),
    numberResults: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 21 })),
    CFGScale: fc.oneof(fc.double({ min: -1000, max: -0.001, noNaN: true }), fc.double({ min: 50.001, max: 1e6, noNaN: true })),
    outputType: fc.string().filter((value) => !['URL', 'base64Data', 'dataURI'].includes(value)),
    outputFormat: fc.string().filter((value) => !['JPG', 'PNG', 'WEBP'].includes(value.toUpperCase())),
    positivePrompt: fc.oneof(fc.constant(''), fc.string({ minLength: 3001, maxLength: 3100 }), fc.integer()),
    webhookURL: fc.oneof(fc.constant('ftp://x/y'), fc.constant('not a url'), fc.integer()),
    strength: fc.oneof(fc.double({ min: 1.001, max: 100, noNaN: true }), fc.double({ max: -0.001, min: -100, noNaN: true })),
  };

  it('are always refused locally, the failing field named, for 3,000 requests', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(CORRUPTIONS)), fc.nat(), (field, seed) => {
        const value = fc.sample(CORRUPTIONS[field]!, { numRuns: 1, seed })[0];
        const result = check({ ...image, [field]: value });
        return !result.success && result.issues.some((issue) => issue.path === field && issue.message.startsWith(`${field} `));
      }),
      { numRuns: 3000 },
    );
  });

  it('count each version of an enhanced prompt as a result', () => {
    expect(promptEnhance.count).toBe('promptVersions');
  });
});
