/*
 * A text answer printed as it is written: textInference with deliveryMethod "stream" goes over
 * the API's HTTP endpoint and reports each piece as a `partial` event, then the whole answer.
 */
import { createRunware } from 'runware-rx';

const runware = createRunware({ apiKey: process.env.RUNWARE_API_KEY });
const question = process.argv[2] ?? 'What is a lighthouse for?';

runware
  .textInference$({ model: 'google:gemma@4-31b', messages: [{ role: 'user', content: question }], deliveryMethod: 'stream', includeUsage: true })
  .subscribe({
    next: (event) => {
      if (event.type === 'partial') process.stdout.write(event.item.delta.text ?? '');
      if (event.type === 'result') console.log(`\n\n(${event.item.finishReason ?? 'done'}, ${event.item.usage?.totalTokens ?? '?'} tokens)`);
    },
    error: (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
      void runware.disconnect();
    },
    complete: () => void runware.disconnect(),
  });
