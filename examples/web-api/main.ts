/*
 * A web API in front of Runware, with Fastify: the connection opens at start-up (a wrong key
 * stops the server from starting), `POST /generate-image` answers `{ image_url }`, failures map
 * to HTTP statuses (http-errors.ts), and SIGINT/SIGTERM closes the server, then the connection.
 *
 *   npm run example -- web-api [--port 3000] [--timeout 60000]
 *   curl -X POST localhost:3000/generate-image -H 'content-type: application/json' -d '{"prompt":"a lighthouse"}'
 *
 * Runs against an embedded simulator unless RUNWARE_API_KEY (or RUNWARE_URL) is set. It prints
 * its address on a line of its own once it listens.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createRunware, isRunwareError } from 'runware-rx';
import { startTarget } from '../support/target.js';
import { buildApp } from './app.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '3000' }, timeout: { type: 'string', default: '60000' } } });
const { apiKey, url, line, stop } = await startTarget();
console.log(line);

const runware = createRunware({ apiKey, url });
try {
  await runware.connect();
} catch (error) {
  console.error(`Cannot connect to Runware, not starting: ${isRunwareError(error) ? `${error.code}: ${error.message}` : String(error)}`);
  await runware.disconnect();
  await stop();
  process.exit(1);
}

const app = buildApp(runware, { timeout: Number(values.timeout) });
await app.listen({ host: '127.0.0.1', port: Number(values.port) });
console.log(`web API at http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`);

const shutdown = async (signal: string): Promise<void> => {
  console.log(`${signal}: closing`);
  await app.close();
  await stop();
  console.log('closed');
};
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
