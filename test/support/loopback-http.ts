import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/**
 * HTTP servers a test file serves on loopback (port 0), each closed after its test with every
 * connection it holds. Call once at the top of a file.
 *
 * @returns A function that serves a listener, on the given port or on one the system picks (0),
 *   and resolves with its origin (`http://127.0.0.1:port`).
 */
export function loopbackHttp(): (listener: RequestListener, port?: number) => Promise<string> {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    }
  });
  return async (listener, port = 0) => {
    const server = createServer(listener);
    servers.push(server);
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
}
