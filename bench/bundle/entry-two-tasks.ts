/**
 * The same app as entry.ts, with a client of only the two tasks it uses (`createRunwareClient`
 * with `runware-rx/tasks`), as the README shows for pages that count their bytes: the other
 * task types' schemas and readers stay out. Bundled by bench/scenarios/bundle.ts; never run.
 */
import { createRunwareClient } from 'runware-rx';
import { imageInference, videoInference } from 'runware-rx/tasks';

const runware = createRunwareClient({ apiKey: 'browser-key', url: 'wss://ws-api.runware.ai/v1', tasks: [imageInference, videoInference] });
await runware.connect();
const images = await runware.imageInference({ positivePrompt: 'a lighthouse at dusk', model: 'runware:101@1', width: 512, height: 512 });
const videos = await runware.videoInference({ positivePrompt: 'waves at dusk', model: 'klingai:5@3', duration: 5 });
console.log(images[0]?.imageURL, videos[0]?.videoURL);
