/*
 * A text answer printed as it is written: textInference with deliveryMethod "stream" goes over
 * the API's HTTP endpoint and reports each piece as a `partial` event, then the whole answer.
 */
import { lastValueFrom, tap } from 'rxjs';
import { createRunware } from 'runware-rx';

const runware = createRunware({ apiKey: process.env.RUNWARE_API_KEY });
const question = process.argv[2] ?? 'What is a lighthouse for?';

// Awaited, so that the module ends when the answer has: `npm run example` closes the simulator it
// started as soon as the module ends.
try {
  await lastValueFrom(
    runware.textInference$({ model: 'google:gemma@4-31b', messages: [{ role: 'user', content: question }], deliveryMethod: 'stream', includeUsage: true }).pipe(
      tap((event) => {
        if (event.type === 'partial') process.stdout.write(event.item.delta.text ?? '');
        if (event.type === 'result') console.log(`\n\n(${event.item.finishReason ?? 'done'}, ${event.item.usage?.totalTokens ?? '?'} tokens)`);
      }),
    ),
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await runware.disconnect();
}
