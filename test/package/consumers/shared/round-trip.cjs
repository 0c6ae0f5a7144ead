/*
 * What every runtime scenario does with the installed package, whichever module system loaded
 * it: start the packaged simulator, make a request as a Promise and as an Observable (piped
 * through the consumer's own rxjs), check that a bad request is a typed error without being
 * sent, use an operator, then report what happened for the test to compare.
 */
'use strict';

/**
 * @param {{ sdk: any, operators: any, simulator: any, tasks: any, rxjs: any }} modules What the scenario loaded.
 * @returns {Promise<object>} The observations.
 */
module.exports = async function roundTrip({ sdk, operators, simulator, tasks, rxjs }) {
  const server = await simulator.startSimulator({ media: false });
  const runware = sdk.createRunware({ apiKey: 'consumer-key', url: server.url });
  // A client of one task, from the tasks entry: the same request through a smaller client.
  const small = sdk.createRunwareClient({ apiKey: 'consumer-key', url: server.url, tasks: [tasks.imageInference] });
  try {
    const params = { model: 'runware:101@1', positivePrompt: 'a consumer project', width: 512, height: 512 };
    const [image] = await runware.imageInference(params);
    const [fromSmall] = await small.imageInference(params);
    const events = await rxjs.lastValueFrom(
      runware.image$(params).pipe(
        rxjs.map((event) => event.type),
        rxjs.toArray(),
      ),
    );
    const invalid = await runware.imageInference({ ...params, width: 5 }).then(
      () => undefined,
      (error) => error,
    );
    return {
      imageURL: image.imageURL,
      smallClient: { imageURL: typeof fromSmall.imageURL, video: typeof small.videoInference },
      events,
      invalid: { isRunwareError: sdk.isRunwareError(invalid), code: invalid?.code, parameter: invalid?.parameter },
      backoff: [1, 2, 3].map(operators.backoffDelay({ initial: 100 })),
      tasksReceived: server.stats().tasksReceived,
    };
  } finally {
    await small.disconnect();
    await runware.disconnect();
    await server.close();
  }
};
