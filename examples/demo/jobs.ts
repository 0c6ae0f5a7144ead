import type { ImageInferenceParams, VideoInferenceParams } from 'runware-rx/tasks';

/** One thing the demo generates. */
export type Job =
  | { readonly kind: 'image'; readonly name: string; readonly params: ImageInferenceParams }
  | { readonly kind: 'video'; readonly name: string; readonly params: VideoInferenceParams };

const imageModel = 'runware:101@1';

/** Several images in different sizes and formats, and one video, all requested at once. */
export const jobs: readonly Job[] = [
  {
    kind: 'image',
    name: 'lighthouse',
    params: { model: imageModel, positivePrompt: 'a lighthouse on a cliff at dusk, oil painting', width: 1024, height: 1024, outputFormat: 'PNG' },
  },
  {
    kind: 'image',
    name: 'fox',
    params: { model: imageModel, positivePrompt: 'a red fox in fresh snow, morning light', width: 768, height: 512, outputFormat: 'JPG' },
  },
  {
    kind: 'image',
    name: 'cabin',
    params: { model: imageModel, positivePrompt: 'a cozy cabin under the northern lights', width: 512, height: 768, outputFormat: 'WEBP' },
  },
  {
    kind: 'image',
    name: 'koi',
    params: { model: imageModel, positivePrompt: 'koi fish in a pond seen from above', width: 640, height: 640, outputFormat: 'PNG', numberResults: 2 },
  },
  {
    kind: 'video',
    name: 'waves',
    params: { model: 'klingai:5@3', positivePrompt: 'waves rolling onto a beach at sunset', duration: 5, width: 1280, height: 720 },
  },
];
