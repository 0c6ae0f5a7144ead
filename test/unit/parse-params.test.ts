import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { imageInference, videoInference } from 'runware-rx/tasks';

const imageInferenceSchema = imageInference.params;
const videoInferenceSchema = videoInference.params;
import { parseParams } from '../../src/tasks/parse-params.js';

/*
 * parseParams visits only the fields a request sets; it must agree with valibot's own
 * strictObject on every input: same verdict, same parameters named.
 */

const image = { model: 'runware:101@1', positivePrompt: 'a lighthouse', width: 512, height: 512 };
const video = { model: 'klingai:5@3', positivePrompt: 'waves', duration: 5 };

const cases: [string, typeof imageInferenceSchema | typeof videoInferenceSchema, unknown][] = [
  ['a valid image request', imageInferenceSchema, image],
  ['a full image request', imageInferenceSchema, { ...image, numberResults: 4, outputType: 'dataURI', outputFormat: 'WEBP', seed: 7, steps: 30, CFGScale: 7.5, lora: [{ model: 'civitai:1@1', weight: 0.5 }], safety: { checkContent: true, mode: 'fast' } }],
  ['a missing model', imageInferenceSchema, { positivePrompt: 'a lighthouse' }],
  ['an unknown field', imageInferenceSchema, { ...image, positivPrompt: 'typo' }],
  ['several problems', imageInferenceSchema, { ...image, width: 100, numberResults: 21, outputFormat: 'GIF' }],
  ['a nested problem', imageInferenceSchema, { ...image, lora: [{ model: 'civitai:1@1', weight: 9 }] }],
  ['a nested unknown field', imageInferenceSchema, { ...image, safety: { checkContent: true, level: 3 } }],
  ['a wrong type', imageInferenceSchema, { ...image, width: '512' }],
  ['an explicit undefined', imageInferenceSchema, { ...image, seed: undefined }],
  ['not an object', imageInferenceSchema, 'a lighthouse'],
  ['null', imageInferenceSchema, null],
  ['a valid video request', videoInferenceSchema, video],
  ['a sync video', videoInferenceSchema, { ...video, deliveryMethod: 'sync' }],
  ['frame images', videoInferenceSchema, { ...video, frameImages: [{ inputImage: 'https://x/y.png', frame: 'first' }, { frame: 'last' }] }],
];

describe('parseParams', () => {
  it.each(cases)('agrees with valibot on %s', (_name, schema, input) => {
    const ours = parseParams(schema, input);
    const theirs = v.safeParse(schema, input);
    expect(ours.success).toBe(theirs.success);
    if (!ours.success && !theirs.success) {
      const paths = (issues: readonly { path: string }[]) => issues.map((issue) => issue.path).sort();
      expect(paths(ours.issues)).toEqual(paths(theirs.issues.map((issue) => ({ path: v.getDotPath(issue) ?? '' }))));
      expect(ours.issues.map((issue) => issue.message).sort()).toEqual(theirs.issues.map((issue) => issue.message).sort());
    }
  });

  it('returns the caller’s parameters unchanged when they are valid', () => {
    const result = parseParams(imageInferenceSchema, image);
    expect(result).toEqual({ success: true, output: image });
  });
});
