// Type-checked, not run: what one entry point makes, another takes (dist/*.d.ts). Each entry's
// declarations are a file of their own, so a type they share must still be one type.
import { createRunware, createRunwareClient, MEDIA_SOURCE, type MediaSource, type TaskParams } from 'runware-rx';
import { fromFile } from 'runware-rx/node';
import { imageInference, removeBackground, type ImageInferenceParams, type RemoveBackgroundParams } from 'runware-rx/tasks';

const runware = createRunware({ apiKey: 'key' });
const small = createRunwareClient({ apiKey: 'key', tasks: [imageInference, removeBackground] });
const ownSource: MediaSource = { [MEDIA_SOURCE]: async () => ({ bytes: new Uint8Array([1]), type: 'image/png' }) };
const params: ImageInferenceParams = { model: 'runware:101@1', positivePrompt: 'typed', width: 512, height: 512, seedImage: ownSource };
const cutOut: RemoveBackgroundParams = { inputImage: fromFile('./photo.jpg') };
const lookedUp: TaskParams<'removeBackground'> = { inputImage: fromFile('./photo.jpg') };

// The README's example: a file from runware-rx/node, into a method of runware-rx.
export const fromTheReadme = runware.removeBackground({ inputImage: fromFile('./photo.jpg') });
// A task's parameter type from runware-rx/tasks, into a method of runware-rx.
export const typedByTask = runware.imageInference(params);
// And the other way round: runware-rx's types into a client made of runware-rx/tasks' definitions.
export const smallClient = [small.removeBackground(cutOut), small.removeBackground(lookedUp), small.removeBackground({ inputImage: ownSource })];
