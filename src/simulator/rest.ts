import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * `POST /v1`, the REST transport (protocol §2.3). Not implemented yet: it answers 501 with an
 * API-shaped error so clients fail clearly. The real handler will decode the same task array,
 * authenticate from `Authorization: Bearer` or element 0, run the same task handlers and answer
 * with one `{ data, errors }` body.
 */
export const handleRestRequest = (request: IncomingMessage, response: ServerResponse): void => {
  request.resume();
  request.on('end', () => {
    response.writeHead(501, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    response.end(
      JSON.stringify({
        errors: [
          {
            code: 'notImplemented',
            message: 'The simulator does not implement the REST transport yet; use the WebSocket at /v1.',
          },
        ],
      }),
    );
  });
};
