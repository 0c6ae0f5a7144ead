import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { ValidationError } from 'runware-rx';
import { createRelay } from 'runware-rx/relay';
import { authenticate, openClient } from '../simulator/support/raw-client.js';
import { browser, IMAGE, REAL_KEY, realKeySimulator, relayServer } from './support.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('mounting the relay', () => {
  it('on a plain http.Server through handleUpgrade, beside the server’s own routes', async () => {
    const sim = await realKeySimulator();
    const relay = createRelay({ apiKey: REAL_KEY, url: sim.url, authorize: () => ({ userId: 'u' }) });
    const server = createServer((_request, response) => response.end('ok'));
    server.on('upgrade', (request, socket, head) => {
      if (request.url?.startsWith('/ws')) relay.handleUpgrade(request, socket, head);
      else socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => relay.close(), () => new Promise((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    const client = await openClient(`ws://127.0.0.1:${port}/ws`);
    closers.push(() => client.close());
    expect(await authenticate(client, 'any-token')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an upgrade no relay takes with HTTP 404 when relays are the only upgrade listeners, and leaves it to another listener otherwise', async () => {
    const sim = await realKeySimulator();
    const relay = createRelay({ apiKey: REAL_KEY, url: sim.url, authorize: () => ({ userId: 'u' }) });
    const other = createRelay({ apiKey: REAL_KEY, url: sim.url, authorize: () => ({ userId: 'u' }) });
    const server = createServer((_request, response) => response.end('ok'));
    relay.attach(server, { path: '/runware' });
    const detachOther = other.attach(server, { path: '/other' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => relay.close(), () => other.close(), () => new Promise((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const status = (path: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('error', () => undefined);
      });
    expect([await status('/runware'), await status('/other'), await status('/elsewhere')]).toEqual([101, 101, 404]);
    detachOther();
    expect(await status('/other')).toBe(404);
    // Beside a listener of the application's own, the upgrade is that listener's to answer.
    server.on('upgrade', (request, socket) => {
      if (request.url === '/app') socket.end('HTTP/1.1 418 I am a teapot\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
    expect(await status('/app')).toBe(418);
  });

  it('refuses upgrades from origins outside `origins` with HTTP 403', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, { origins: ['https://app.example'] });
    const status = (origin: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(server.url, { origin });
        socket.on('open', () => {
          socket.close();
          resolve(101);
        });
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('error', () => undefined);
      });
    expect(await status('https://evil.example')).toBe(403);
    expect(await status('https://app.example')).toBe(101);
  });

  it('closes a socket that does not authenticate in time (1008), and one whose authorize throws (1011, no answer)', async () => {
    const sim = await realKeySimulator();
    const server = await relayServer(sim, {
      authTimeout: 100,
      authorize: () => {
        throw new Error('session store down');
      },
    });
    const silent = await openClient(server.url);
    closers.push(() => silent.close());
    expect((await silent.closed).code).toBe(1008);
    const unlucky = await openClient(server.url);
    closers.push(() => unlucky.close());
    unlucky.send([{ taskType: 'authentication', apiKey: 'some-token' }]);
    expect((await unlucky.closed).code).toBe(1011);
    expect(unlucky.frames).toEqual([]);
    expect(server.logged.some((record) => record.event === 'relay.authorizeFailed' && record.detail.includes('session store down'))).toBe(true);
  });

  it('sends a dry run of the page (dryRun=1) over a dry-run connection of its own', async () => {
    const sim = await realKeySimulator();
    const dialled: string[] = [];
    class RecordingUpstream extends WebSocket {
      constructor(url: string) {
        super(url);
        dialled.push(url);
      }
    }
    const server = await relayServer(sim, { WebSocket: RecordingUpstream });
    const page = browser(server, 'alice-session-token');
    await page.imageInference(IMAGE);
    await page.dryRun('imageInference', IMAGE);
    expect(dialled).toEqual([sim.url, `${sim.url}?dryRun=1`]);
  });

  it('checks its options, naming the one at fault', () => {
    expect(() => createRelay({ apiKey: 'short', authorize: () => undefined })).toThrow(/apiKey is required/);
    expect(() => createRelay({ apiKey: REAL_KEY, authorize: undefined as never })).toThrow(/authorize must be a function/);
    expect(() => createRelay({ apiKey: REAL_KEY, url: 'http://x', authorize: () => undefined })).toThrow(/url must start with ws/);
    expect(() => createRelay({ apiKey: REAL_KEY, httpUrl: 'ws://x/v1', authorize: () => undefined })).toThrow(/httpUrl must be an http/);
    expect(() => createRelay({ apiKey: REAL_KEY, sessionBufferMs: Infinity, authorize: () => undefined })).toThrow(/sessionBufferMs/);
    // close() always ends: its wait for the store has a bound.
    expect(() => createRelay({ apiKey: REAL_KEY, closeTimeout: Infinity, authorize: () => undefined })).toThrow(/closeTimeout/);
  });
});

/*
 * One upgrade, one taker: two relays that both took an upgrade would both hand its socket to
 * `ws`, and the second `handleUpgrade` throws ("called more than once with the same socket") out
 * of the server's `upgrade` listener, which ends the process.
 */
describe('relays that would take the same upgrades', () => {
  /** What `attach` throws, if anything. */
  const refusalOf = (attach: () => unknown): unknown => {
    try {
      attach();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('are refused at attach on one server (a mount with no path overlaps every other), with a ValidationError naming path', () => {
    const server = createServer();
    const relays = [0, 1, 2].map(() => createRelay({ apiKey: REAL_KEY, authorize: () => ({ userId: 'u' }) }));
    closers.push(...relays.map((relay) => () => relay.close()));
    const [everything, runware, other] = relays as [(typeof relays)[0], (typeof relays)[0], (typeof relays)[0]];
    const detachEverything = everything.attach(server);
    const underEverything = refusalOf(() => runware.attach(server, { path: '/runware' }));
    expect(underEverything).toBeInstanceOf(ValidationError);
    expect(underEverything).toMatchObject({ code: 'validation', parameter: 'path' });
    detachEverything();
    runware.attach(server, { path: '/runware' });
    expect(refusalOf(() => other.attach(server))).toMatchObject({ code: 'validation', parameter: 'path' });
    expect(refusalOf(() => other.attach(server, { path: '/runware' }))).toMatchObject({ code: 'validation', parameter: 'path' });
    expect(refusalOf(() => runware.attach(server, { path: '/runware' }))).toMatchObject({ code: 'validation', parameter: 'path' });
    // Another path, or another server, is no overlap; a refused mount listens to nothing.
    other.attach(server, { path: '/other' });
    everything.attach(createServer());
    expect(server.listeners('upgrade')).toHaveLength(2);
  });

  it('never throw out of the upgrade listener: a socket another relay, or the application’s own WebSocket server, took is left to it', async () => {
    const sim = await realKeySimulator();
    const asked: string[] = [];
    const relayNamed = (name: string) =>
      createRelay({
        apiKey: REAL_KEY,
        url: sim.url,
        authorize: () => {
          asked.push(name);
          return { userId: 'u' };
        },
      });
    const first = relayNamed('first');
    const second = relayNamed('second');
    const own = new WebSocketServer({ noServer: true });
    const server = createServer();
    first.attach(server, { path: '/runware' });
    const thrown: unknown[] = [];
    // A misconfigured application hands every upgrade to a second relay as well, and those of
    // /app to its own WebSocket server before that.
    server.on('upgrade', (request, socket, head) => {
      if (request.url === '/app') own.handleUpgrade(request, socket, head, (ws) => ws.send('the app’s own'));
      try {
        second.handleUpgrade(request, socket, head);
      } catch (error) {
        thrown.push(error);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () => first.close(),
      () => second.close(),
      () => new Promise((resolve) => server.close(() => resolve())),
    );
    const { port } = server.address() as AddressInfo;
    const client = await openClient(`ws://127.0.0.1:${port}/runware`);
    closers.push(() => client.close());
    expect(await authenticate(client, 'any-token')).toMatch(/^[0-9a-f-]{36}$/);
    expect(asked).toEqual(['first']);
    const app = new WebSocket(`ws://127.0.0.1:${port}/app`);
    closers.push(async () => app.close());
    expect(await new Promise((resolve) => app.once('message', (data) => resolve(String(data))))).toBe('the app’s own');
    expect(thrown).toEqual([]);
  });
});

describe('an upgrade whose target is not a URL', () => {
  /** Sends an upgrade for `target` as raw bytes and reads the status line of the answer. */
  const statusLineOf = (port: number, target: string) =>
    new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.once('close', () => resolve(answer.split('\r\n')[0] ?? ''));
      socket.write(`GET ${target} HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });

  it('is refused, and the relay and its server go on (with a path: 404, without: 400)', async () => {
    const sim = await realKeySimulator();
    const servers = [createServer(), createServer()];
    const relays = servers.map(() => createRelay({ apiKey: REAL_KEY, url: sim.url, authorize: () => ({ userId: 'u' }) }));
    relays[0]!.attach(servers[0]!, { path: '/runware' });
    relays[1]!.attach(servers[1]!);
    const ports: number[] = [];
    for (const [index, server] of servers.entries()) {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      closers.push(() => relays[index]!.close(), () => new Promise((resolve) => server.close(() => resolve())));
      ports.push((server.address() as AddressInfo).port);
    }
    // '//' and '/\\' are no URL on this host: parsing them throws.
    expect([await statusLineOf(ports[0]!, '//'), await statusLineOf(ports[0]!, '/\\')]).toEqual(['HTTP/1.1 404 Not Found', 'HTTP/1.1 404 Not Found']);
    expect(await statusLineOf(ports[1]!, '//')).toBe('HTTP/1.1 400 Bad Request');
    // Both still take a browser.
    for (const port of ports) {
      const client = await openClient(`ws://127.0.0.1:${port}/runware`);
      closers.push(() => client.close());
      expect(await authenticate(client, 'any-token')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
