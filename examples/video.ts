/*
 * Videos: one, polled for you until it is ready, then several at once, each with its progress.
 *
 *   npm run example -- video
 *
 * Runs against an embedded simulator unless RUNWARE_API_KEY (or RUNWARE_URL) is set. A video
 * is acknowledged first, then runware-rx polls it (`getResponse`) until it is done: there is
 * no polling loop to write. Each poll answer is a `status` event; the polls of every video in
 * flight go out together, one frame per round.
 */
import { lastValueFrom, merge, tap } from 'rxjs';
import type { TaskEvent } from 'runware-rx';
import { createRunware, isRunwareError } from 'runware-rx';
import type { VideoInferenceParams, VideoInferenceResult } from 'runware-rx/tasks';
import { startTarget } from './support/target.js';

const { apiKey, url, line, stop } = await startTarget({ videoReadyAfterMs: 3000 });
console.log(line);
const runware = createRunware({ apiKey, url });

const model = 'klingai:5@3';

/** One line per event worth telling: the API reports `progress` for few models, so it may be absent. */
function report(name: string, event: TaskEvent<VideoInferenceResult>): void {
  if (event.type === 'accepted') console.log(`[${name}] accepted as ${event.taskUUID}`);
  if (event.type === 'status') {
    const progress = event.progress !== undefined ? `, ${Math.round(event.progress)} %` : event.status === 'processing' ? ', progress unknown' : '';
    console.log(`[${name}] ${event.status}${progress} (poll ${event.poll})`);
  }
  if (event.type === 'retrying') console.log(`[${name}] retrying (${event.error.code})`);
  if (event.type === 'result') console.log(`[${name}] ready: ${event.item.videoURL}`);
}

try {
  // One video as a promise: it resolves when the polls say it is done.
  console.log('One video, polled until it is ready:');
  const [video] = await runware.videoInference({ model, positivePrompt: 'waves rolling onto a beach at sunset', duration: 5, width: 1280, height: 720 });
  console.log(`video: ${video?.videoURL}`);

  // Several at once, as streams: merged, each reporting its own progress.
  console.log('Three videos at once:');
  const videos: Record<string, VideoInferenceParams> = {
    forest: { model, positivePrompt: 'fog drifting through a pine forest', duration: 5, width: 1280, height: 720 },
    city: { model, positivePrompt: 'a city street at night in the rain', duration: 5, width: 1280, height: 720 },
    comet: { model, positivePrompt: 'a comet crossing a starry sky', duration: 5, width: 1280, height: 720 },
  };
  await lastValueFrom(merge(...Object.entries(videos).map(([name, params]) => runware.video$(params).pipe(tap((event) => report(name, event))))));
  console.log('All videos are ready.');
} catch (error) {
  console.error(isRunwareError(error) ? `failed (${error.code}, task ${error.taskUUID ?? 'none'}): ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await runware.disconnect();
  await stop();
}
