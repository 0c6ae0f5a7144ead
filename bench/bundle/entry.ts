/**
 * What a browser app that connects, makes one image and one video pulls in from runware-rx.
 * Bundled by bench/scenarios/bundle.ts (esbuild, platform browser, minified); never run.
 */
import { createRunware } from 'runware-rx';

const runware = createRunware({ apiKey: 'browser-key', url: 'wss://ws-api.runware.ai/v1' });
await runware.connect();
const images = await runware.imageInference({ positivePrompt: 'a lighthouse at dusk', model: 'runware:101@1', width: 512, height: 512 });
const videos = await runware.videoInference({ positivePrompt: 'waves at dusk', model: 'klingai:5@3', duration: 5 });
console.log(images[0]?.imageURL, videos[0]?.videoURL);
