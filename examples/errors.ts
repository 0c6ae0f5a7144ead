/*
 * Error handling: every failure is a RunwareError with a stable `code` to branch on and the
 * taskUUID to log; a batch collects its successes and failures instead of failing as a whole.
 *
 *   npm run example -- errors
 *
 * Runs against an embedded simulator unless RUNWARE_API_KEY (or RUNWARE_URL) is set. The
 * embedded simulator is told to fail a few generations, as a provider would, so that the batch
 * report shows failures; the real API fails on its own.
 */
import { createRunware, isRunwareError } from 'runware-rx';
import type { ImageInferenceParams } from 'runware-rx/tasks';
import { startTarget } from './support/target.js';

const { apiKey, url, line, simulator, stop } = await startTarget();
console.log(line);
const runware = createRunware({ apiKey, url });

/** What to do about a failure, by its code: the one branch an application needs. */
function advice(error: unknown): string {
  if (!isRunwareError(error)) return `a bug, not a Runware failure: ${String(error)}`;
  switch (error.code) {
    case 'validation':
      return `fix the request${error.parameter === undefined ? '' : ` (${error.parameter})`}`;
    case 'auth':
      return 'check RUNWARE_API_KEY';
    case 'quota':
      return 'top up the account';
    case 'safety':
      return 'change the prompt';
    case 'notFound':
      return 'check the model or media named';
    case 'rateLimit':
    case 'provider':
    case 'serverError':
    case 'connection':
    case 'timeout':
      // Retryable failures were already retried by runware-rx where that is safe (see the README).
      return error.retryable ? 'try again later' : 'give up: the whole-task deadline passed';
    default:
      return 'report it';
  }
}

/** One log line per failure, with the taskUUID that support can look up. */
function logFailure(label: string, error: unknown): void {
  if (!isRunwareError(error)) return console.log(`${label}: ${advice(error)}`);
  const task = error.taskUUID === undefined ? 'no task' : `task ${error.taskUUID}${error.sent === false ? ', never sent' : ''}`;
  console.log(`${label}: ${error.code} (${task}${error.serverCode === undefined ? '' : `, server code ${error.serverCode}`}): ${advice(error)}`);
}

const image: ImageInferenceParams = { model: 'runware:101@1', positivePrompt: 'a red bicycle against a white wall', width: 512, height: 512 };

try {
  console.log('Branching on code:');
  // Checked before sending: nothing goes out, nothing is billed.
  await runware.imageInference({ ...image, width: 5000 }).catch((error: unknown) => logFailure('width 5000', error));
  // Refused by the server, after it was sent.
  await runware.imageInference({ ...image, model: 'nonexistent:999@999' }).catch((error: unknown) => logFailure('unknown model', error));
  // A client with a wrong key fails at once, without a reconnect loop.
  const wrongKey = createRunware({ apiKey: 'not-the-right-key-0000', url });
  await wrongKey.imageInference(image).catch((error: unknown) => logFailure('wrong key', error));
  await wrongKey.disconnect();

  console.log('One request, four images, settled one by one:');
  simulator?.faults.failNextItems(1);
  const outcomes = await runware.imageInference({ ...image, numberResults: 4 }, { settled: true });
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') console.log(`  image ${outcome.index}: ${outcome.value.imageURL}`);
    else logFailure(`  image ${outcome.index}`, outcome.reason);
  }
  const delivered = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
  console.log(`  ${delivered} of ${outcomes.length} images delivered`);

  console.log('A batch of prompts, successes and failures collected:');
  simulator?.faults.failNextItems(2);
  const prompts = ['a lighthouse at dusk', 'a fox in the snow', 'a cabin under the northern lights', 'koi in a pond', 'a paper boat on a stream'];
  const settled = await Promise.allSettled(prompts.map((positivePrompt) => runware.imageInference({ ...image, positivePrompt })));
  const succeeded: string[] = [];
  settled.forEach((result, index) => {
    if (result.status === 'fulfilled') succeeded.push(`  ok "${prompts[index]}": ${result.value[0]?.imageURL}`);
    else logFailure(`  failed "${prompts[index]}"`, result.reason);
  });
  for (const success of succeeded) console.log(success);
  console.log(`  ${succeeded.length} of ${prompts.length} prompts succeeded`);
} finally {
  await runware.disconnect();
  await stop();
}
