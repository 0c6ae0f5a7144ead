/*
 * The relay example: a Fastify app that serves a tiny page and carries runware-rx/relay on
 * /runware (the WebSocket, and POST for streamed text). The page gets a session token from /session (in your app: after the user logs in)
 * and uses runware-rx with it; the Runware API key never leaves this process.
 *
 *   npx tsx --tsconfig tsconfig.node.json examples/relay/server.ts [--port 3000]
 *
 * It relays to an embedded simulator unless RUNWARE_API_KEY or RUNWARE_URL is set, by the rule of
 * every example (../support/target.ts). It prints its address on its first line.
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import Fastify from 'fastify';
import type { RelayPolicy } from 'runware-rx/relay';
import { createRelay } from 'runware-rx/relay';
import { startTarget } from '../support/target.js';
import { routeStreamedText } from './streamed-text-route.js';
import { createVisitorSessions } from './visitor-sessions.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const portFlag = process.argv.indexOf('--port');
const port = portFlag < 0 ? 3000 : Number(process.argv[portFlag + 1]);

// The upstream, by the examples' rule: an embedded simulator with a key of its own unless
// RUNWARE_API_KEY or RUNWARE_URL is set (a URL on this machine is a simulator, with any key).
const target = await startTarget({ videoReadyAfterMs: 2000 });
const { apiKey, url } = target;

// The app's logins: here a demo that makes every visitor a user (visitor-sessions.ts).
const sessions = createVisitorSessions({ tokenLifetimeMs: 10 * 60_000 });

const relay = createRelay({
  apiKey,
  url,
  // Your app's own check: a session store, a JWT verification. Each user gets a policy.
  authorize: ({ token }): RelayPolicy | undefined => {
    const session = sessions.sessionOf(token);
    if (session === undefined) return undefined;
    return { userId: session.userId, expiresAt: session.expiresAt, maxInFlight: 4, maxNumberResults: 4, ratePerMinute: 30 };
  },
});

// The page's script, bundled for the browser when the server starts (your app has its own build).
const bundle = await build({
  entryPoints: [here('./page.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  tsconfig: here('../../tsconfig.node.json'),
  logLevel: 'silent',
});
const script = bundle.outputFiles[0]?.text ?? '';

const app = Fastify();
app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(await readFile(here('./index.html'))));
app.get('/app.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(script));
const VISITOR_COOKIE = 'relay-example-visitor';
const cookieOf = (header: string | undefined, name: string): string | undefined =>
  header
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([key]) => key === name)?.[1];

// A demo login (visitor-sessions.ts): the same browser is the same user at every call.
app.post('/session', async (request, reply) => {
  const signIn = sessions.signIn(cookieOf(request.headers.cookie, VISITOR_COOKIE));
  if (signIn.newVisitor) void reply.header('set-cookie', `${VISITOR_COOKIE}=${signIn.visitor}; Path=/; HttpOnly; SameSite=Strict`);
  return { token: signIn.token, userId: signIn.userId };
});
// The relay on /runware: the page's WebSocket, through the app's Node server...
relay.attach(app.server, { path: '/runware' });
// ...and a streamed textInference, which comes over HTTP (the API streams only there): POST on
// the same path, taken before Fastify reads the body, which the relay reads itself.
routeStreamedText(app, '/runware', relay);

await app.listen({ host: '127.0.0.1', port });
console.log(`relay example at http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`);
console.log(target.line);

const stop = async (): Promise<void> => {
  await relay.close();
  await app.close();
  await target.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
