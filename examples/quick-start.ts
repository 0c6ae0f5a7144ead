import { createRunware } from 'runware-rx';

const runware = createRunware({ apiKey: process.env.RUNWARE_API_KEY });
await runware.connect();

const images = await runware.imageInference({
  positivePrompt: 'A serene mountain landscape at sunset',
  model: 'runware:101@1',
  width: 1024,
  height: 1024,
});
console.log(images[0]?.imageURL);

await runware.disconnect();
