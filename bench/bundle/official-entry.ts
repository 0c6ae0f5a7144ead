/**
 * The same app with the official SDK's ESM entry. In a browser its `Runware` export is the
 * client class (a bundled reconnecting-websocket over the native WebSocket). Never run.
 */
import { Runware } from '@runware/sdk-js';

const runware = new Runware({ apiKey: 'browser-key' });
await runware.ensureConnection();
const images = await runware.requestImages({ positivePrompt: 'a lighthouse at dusk', model: 'runware:101@1', width: 512, height: 512 });
const videos = await runware.videoInference({ positivePrompt: 'waves at dusk', model: 'klingai:5@3', duration: 5 });
console.log(images?.[0]?.imageURL, videos);
