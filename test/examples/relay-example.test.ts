import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunware } from 'runware-rx';
import type { RunwareClient } from 'runware-rx';
import { startSimulator } from 'runware-rx/simulator';

const root = new URL('../../', import.meta.url).pathname;
const stops: (() => Promise<void>)[] = [];
const clients: RunwareClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** Starts examples/relay/server.ts as a user would (tsx), on a free port; resolves with its address. */
async function startExample(settings: Record<string, string> = {}): Promise<string> {
  const { RUNWARE_API_KEY: _key, RUNWARE_URL: _url, ...env } = process.env;
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['--tsconfig', join(root, 'tsconfig.node.json'), join(root, 'examples/relay/server.ts'), '--port', '0'], {
    cwd: root,
    env: { ...env, ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  stops.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    once(child, 'exit').then(() => {
      throw new Error(`the example exited: ${stderr}`);
    }),
  ]);
  const address = /^relay example at (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(first)?.[1];
  if (address === undefined) throw new Error(`unexpected first line: ${first}`);
  return address;
}

describe('examples/relay', () => {
  it('serves its page and script, hands out session tokens, and relays a runware-rx client that uses them', async () => {
    const address = await startExample();
    const page = await fetch(address);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/app.js"></script>');
    const script = await fetch(`${address}app.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('/runware');

    const issued: string[] = [];
    const token = async (): Promise<string> => {
      const response = await fetch(`${address}session`, { method: 'POST' });
      const { token: value } = (await response.json()) as { token: string };
      issued.push(value);
      return value;
    };
    const runware = createRunware({ apiKey: token, url: `${address.replace('http', 'ws')}runware`, pollInterval: 200 });
    clients.push(runware);
    const [image] = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'through the example', width: 256, height: 256 });
    expect(image?.imageURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
    const [video] = await runware.videoInference({ model: 'klingai:5@3', positivePrompt: 'waves', duration: 5 });
    expect(video?.videoURL).toMatch(/\.mp4$/);
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatch(/^[\w-]{43}$/);

    const refused: unknown = await createRunware({ apiKey: 'not-a-session-token', url: `${address.replace('http', 'ws')}runware` })
      .imageInference({ model: 'runware:101@1', positivePrompt: 'no', width: 256, height: 256 })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'auth', serverCode: 'tokenInvalid' });
  }, 60_000);

  it('relays to the simulator on this machine that RUNWARE_URL names, with no key, as every example does', async () => {
    const simulator = await startSimulator({ media: false });
    stops.push(() => simulator.close());
    const address = await startExample({ RUNWARE_URL: simulator.url });
    const token = async (): Promise<string> => {
      const response = await fetch(`${address}session`, { method: 'POST' });
      return ((await response.json()) as { token: string }).token;
    };
    const runware = createRunware({ apiKey: token, url: `${address.replace('http', 'ws')}runware` });
    clients.push(runware);
    const [image] = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'through the named simulator', width: 256, height: 256 });
    expect(image?.imageURL?.startsWith(`${simulator.httpUrl}/`)).toBe(true);
  }, 60_000);
});
