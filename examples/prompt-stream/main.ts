/*
 * RxJS for frontends: prompts as they are typed, debounced, each switching to its image and
 * cancelling the request of the prompt before (images-for-prompts.ts). Here the "prompt box"
 * is standard input, one prompt a line; in a page it is `fromEvent(input, 'input')`.
 *
 *   npm run example -- prompt-stream                      (type prompts; Ctrl-D ends)
 *   printf 'a lighthouse\na lighthouse at night\n' | npm run example -- prompt-stream
 *
 * Runs against an embedded simulator unless RUNWARE_API_KEY (or RUNWARE_URL) is set. Piped
 * lines arrive together, so the debounce lets only the last one through.
 */
import { createInterface } from 'node:readline';
import { fromEvent, lastValueFrom, map, takeUntil, tap } from 'rxjs';
import { createRunware } from 'runware-rx';
import { startTarget } from '../support/target.js';
import { imagesForPrompts } from './images-for-prompts.js';

const { apiKey, url, line, stop } = await startTarget({ imageLatencyMs: 1500 });
console.log(line);
const runware = createRunware({ apiKey, url });
if (process.stdin.isTTY) console.log('Type a prompt and press Enter; a new prompt cancels the one in flight. Ctrl-D ends.');

const input = createInterface({ input: process.stdin });
const prompts$ = fromEvent(input, 'line').pipe(
  map((typed) => String(typed)),
  takeUntil(fromEvent(input, 'close')),
);

try {
  await lastValueFrom(
    imagesForPrompts(runware, prompts$, {
      onCancelled: ({ prompt, taskUUID }) => console.log(`cancelled "${prompt}" (task ${taskUUID ?? 'not sent yet'})`),
    }).pipe(
      tap((view) => {
        if (view.state === 'generating') console.log(`generating "${view.prompt}"…`);
        if (view.state === 'ready') console.log(`image for "${view.prompt}": ${view.imageURL}`);
        if (view.state === 'failed') console.log(`failed "${view.prompt}": ${view.error.code}: ${view.error.message}`);
      }),
    ),
    { defaultValue: undefined },
  );
} finally {
  await runware.disconnect();
  await stop();
}
