// Type-checked, not run: what one entry point makes, another takes, in a browser app built by a
// bundler. Each entry's declarations are a file of their own, so a type they share must still be one type.
import { createRunware, createRunwareClient, MEDIA_SOURCE, type MediaSource, type TaskParams } from 'runware-rx';
import { imageInference, removeBackground, type ImageInferenceParams } from 'runware-rx/tasks';

const runware = createRunware({ apiKey: 'key' });
const small = createRunwareClient({ apiKey: 'key', tasks: [imageInference, removeBackground] });
const ownSource: MediaSource = { [MEDIA_SOURCE]: async () => ({ bytes: new Uint8Array([1]), type: 'image/png' }) };
const params: ImageInferenceParams = { model: 'runware:101@1', positivePrompt: 'typed', width: 512, height: 512, seedImage: ownSource };
const lookedUp: TaskParams<'imageInference'> = { ...params };

export const typedByTask = runware.imageInference(params);
export const smallClient = [small.imageInference(lookedUp), small.removeBackground({ inputImage: ownSource })];
