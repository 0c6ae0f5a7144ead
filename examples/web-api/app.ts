import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import type { RunwareClient } from 'runware-rx';
import { isRunwareError } from 'runware-rx';
import { httpFailureOf } from './http-errors.js';

/** What `POST /generate-image` takes. Sizes are checked by runware-rx, which names the rule. */
interface GenerateImageBody {
  readonly prompt: string;
  readonly model?: string;
  readonly width?: number;
  readonly height?: number;
}

const generateImageSchema = {
  body: {
    type: 'object',
    required: ['prompt'],
    additionalProperties: false,
    properties: {
      prompt: { type: 'string' },
      model: { type: 'string' },
      width: { type: 'integer' },
      height: { type: 'integer' },
    },
  },
} as const;

/** Options of {@link buildApp}. */
export interface AppOptions {
  /** Each image's deadline, in ms. */
  readonly timeout: number;
}

/**
 * The web API: `POST /generate-image` → `{ image_url }`, on a client that is connected already.
 * The app disconnects the client when it closes.
 *
 * @param runware The client, connected at start-up.
 * @param options The deadline of each image.
 * @returns The Fastify app, not listening yet.
 */
export function buildApp(runware: RunwareClient, options: AppOptions): FastifyInstance {
  const app = Fastify();

  app.post<{ Body: GenerateImageBody }>('/generate-image', { schema: generateImageSchema }, async (request, reply) => {
    const { prompt, model = 'runware:101@1', width = 1024, height = 1024 } = request.body;
    // A caller that hangs up stops the wait (the server may still finish the task).
    const controller = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    try {
      const [image] = await runware.imageInference({ model, positivePrompt: prompt, width, height }, { timeout: options.timeout, signal: controller.signal });
      return { image_url: image?.imageURL };
    } catch (error) {
      const failure = httpFailureOf(error);
      if (failure.status >= 500) {
        const task = isRunwareError(error) ? (error.taskUUID ?? 'no task') : 'no task';
        console.error(`POST /generate-image failed with ${failure.status}: ${isRunwareError(error) ? error.code : 'unknown'} (${task}): ${String(error)}`);
      }
      if (failure.retryAfter !== undefined) void reply.header('retry-after', String(failure.retryAfter));
      return reply.status(failure.status).send(failure.body);
    }
  });

  // Shut down in order: stop taking requests (Fastify), then close the Runware connection.
  app.addHook('onClose', async () => {
    await runware.disconnect();
  });
  return app;
}
