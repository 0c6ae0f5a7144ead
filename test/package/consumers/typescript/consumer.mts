// Type-checked, not run: the public types as an ES-module consumer sees them (dist/*.d.ts).
import { createRunware, isRunwareError, type RunwareClient, type TaskEvent } from 'runware-rx';
import { backoffDelay } from 'runware-rx/operators';
import type { ImageInferenceResult } from 'runware-rx/tasks';
import { startSimulator, type Simulator } from 'runware-rx/simulator';
import { createRelay, type Relay, type RelayPolicy } from 'runware-rx/relay';
import { lastValueFrom, toArray } from 'rxjs';

const simulator: Simulator = await startSimulator({ media: false });
const runware: RunwareClient = createRunware({ apiKey: 'key', url: simulator.url });
const params = { model: 'runware:101@1', positivePrompt: 'typed', width: 512, height: 512 };

const images: ImageInferenceResult[] = await runware.imageInference(params);
const url: string | undefined = images[0]?.imageURL;
const events: TaskEvent<ImageInferenceResult>[] = await lastValueFrom(runware.image$(params).pipe(toArray()));
const delay: (attempt: number) => number = backoffDelay({ initial: 100 });
const media: 'real' | 'placeholder' = simulator.media.videos;

try {
  // @ts-expect-error: width is a number. If the types were `any`, this line would not be an error.
  await runware.imageInference({ ...params, width: '512' });
} catch (error) {
  if (isRunwareError(error)) console.log(error.code, url, events.length, delay(1), media);
}
const policy: RelayPolicy = { userId: 'u1', maxInFlight: 2 };
const relay: Relay = createRelay({ apiKey: 'a-real-key-of-32-characters-long', url: simulator.url, authorize: ({ token }) => (token === 't' ? policy : undefined) });
// @ts-expect-error: a policy needs a userId
createRelay({ apiKey: 'a-real-key-of-32-characters-long', authorize: () => ({ maxInFlight: 2 }) });
await relay.close();
// @ts-expect-error: an option the client does not have
createRunware({ apiKey: 'key', retries: 3 });

await runware.disconnect();
await simulator.close();
