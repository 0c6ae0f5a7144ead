/*
 * The relay's HTTP route on a Fastify app. The API streams a textInference over HTTP only, so
 * runware-rx in a page POSTs a streamed one to the socket's path over http(s); the relay answers
 * it with `handleRequest`. Fastify must not read the body first (the relay reads it itself, at
 * most `maxPayload` bytes): the route hands the raw request on in `onRequest`, before any parser.
 * Other frameworks: see README.md, "Streamed text".
 */
import type { FastifyInstance } from 'fastify';
import type { Relay } from 'runware-rx/relay';

/**
 * Routes POST (the streamed text) and OPTIONS (its CORS preflight, when `origins` is set) of
 * `path`, the path the relay's socket is attached on, to the relay.
 *
 * @param app The Fastify app, before it listens.
 * @param path The socket's path, such as `/runware`.
 * @param relay The relay (its `handleRequest` is all the route uses).
 */
export function routeStreamedText(app: FastifyInstance, path: string, relay: Pick<Relay, 'handleRequest'>): void {
  app.route({
    method: ['POST', 'OPTIONS'],
    url: path,
    onRequest: async (request, reply) => {
      // The relay answers on the raw response; Fastify sends nothing of its own.
      reply.hijack();
      relay.handleRequest(request.raw, reply.raw);
    },
    handler: () => undefined,
  });
}
