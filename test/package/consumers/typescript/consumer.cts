// Type-checked, not run: the same surface as a CommonJS consumer sees it (dist/*.d.cts).
import { createRunware, isRunwareError, type RunwareClient } from 'runware-rx';
import { backoffDelay } from 'runware-rx/operators';
import type { ImageInferenceResult } from 'runware-rx/tasks';
import { startSimulator, type Simulator } from 'runware-rx/simulator';
import { createRelay, type Relay, type RelayPolicy } from 'runware-rx/relay';
import { lastValueFrom, toArray } from 'rxjs';

async function main(): Promise<void> {
  const simulator: Simulator = await startSimulator({ media: false });
  const runware: RunwareClient = createRunware({ apiKey: 'key', url: simulator.url });
  const params = { model: 'runware:101@1', positivePrompt: 'typed', width: 512, height: 512 };
  const images: ImageInferenceResult[] = await runware.imageInference(params);
  const count: number = (await lastValueFrom(runware.image$(params).pipe(toArray()))).length;
  try {
    // @ts-expect-error: width is a number. If the types were `any`, this line would not be an error.
    await runware.imageInference({ ...params, width: '512' });
  } catch (error) {
    if (isRunwareError(error)) console.log(error.code, images[0]?.imageURL, count, backoffDelay({ initial: 1 })(2));
  }
  const relay: Relay = createRelay({ apiKey: 'a-real-key-of-32-characters-long', url: simulator.url, authorize: (): RelayPolicy => ({ userId: 'u1' }) });
  await relay.close();
  await runware.disconnect();
  await simulator.close();
}

void main();
