/*
 * A page through runware-rx/relay (examples/relay, in front of the e2e simulator): the page uses
 * runware-rx unchanged with a session token, and the relay's real key is in no frame the page
 * sends or receives. Then the warning a page gets when it holds what looks like a raw key.
 */
import type { WebSocket } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { e2eEnv } from './paths.js';

test('the relay example page generates an image and a video; the real key is in no frame the page sees', async ({ page }) => {
  const key = e2eEnv('E2E_RELAY_KEY');
  const address = e2eEnv('E2E_RELAY_EXAMPLE_URL');
  const frames: string[] = [];
  const sockets: string[] = [];
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('websocket', (socket: WebSocket) => {
    sockets.push(socket.url());
    socket.on('framereceived', ({ payload }) => frames.push(String(payload)));
    socket.on('framesent', ({ payload }) => frames.push(String(payload)));
  });
  await page.goto(address);
  await expect(page.locator('#status')).toHaveText('ready');

  await page.click('#image');
  await expect(page.locator('#status')).toHaveText('image ready');
  const src = await page.locator('#results img').first().getAttribute('src');
  expect(src).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
  const loaded = await page.locator('#results img').first().evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
  expect(loaded).toBe(512);

  await page.click('#video');
  await expect(page.locator('#status')).toHaveText('video ready', { timeout: 15_000 });
  expect(await page.locator('#results video').first().getAttribute('src')).toMatch(/\.mp4$/);

  expect(sockets).toEqual([`${address.replace('http', 'ws')}runware`]);
  expect(frames.some((frame) => frame.includes('"connectionSessionUUID"'))).toBe(true);
  expect(frames.some((frame) => frame.includes('"videoURL"'))).toBe(true);
  expect(frames.filter((frame) => frame.includes(key))).toEqual([]);
  expect(problems).toEqual([]);
});

test('the example ties the page to one user: every token it fetches (one per reconnection) is for the same user, another browser is another user', async ({ page, browser }) => {
  const address = e2eEnv('E2E_RELAY_EXAMPLE_URL');
  const sessionsOf = (target: typeof page) =>
    target.evaluate(async () => {
      const fetchOne = async (): Promise<{ token: string; userId: string }> => (await fetch('/session', { method: 'POST' })).json() as Promise<{ token: string; userId: string }>;
      return [await fetchOne(), await fetchOne()];
    });
  await page.goto(address);
  const [first, second] = await sessionsOf(page);
  expect(second?.userId).toBe(first?.userId);
  expect(second?.token).not.toBe(first?.token);
  await page.reload();
  expect((await sessionsOf(page))[0]?.userId).toBe(first?.userId);
  const stranger = await browser.newContext();
  try {
    const other = await stranger.newPage();
    await other.goto(address);
    expect((await sessionsOf(other))[0]?.userId).not.toBe(first?.userId);
  } finally {
    await stranger.close();
  }
});

test('a raw-looking key in a page warns once on the console; dangerouslyAllowBrowser and session tokens do not', async ({ app }) => {
  const warnings: string[] = [];
  app.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  const url = e2eEnv('E2E_SIMULATOR_URL');
  await app.evaluate((wsUrl) => {
    const { createRunware } = window.runwareE2E!;
    createRunware({ apiKey: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln', url: wsUrl });
    createRunware({ apiKey: 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', url: wsUrl, dangerouslyAllowBrowser: true });
    createRunware({ apiKey: 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', url: wsUrl });
    createRunware({ apiKey: 'Zz3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', url: wsUrl });
    // Console messages reach the test in order: once this one is in, every earlier one is.
    console.warn('e2e: end of the clients');
  }, url);
  await expect.poll(() => warnings.at(-1)).toBe('e2e: end of the clients');
  expect(warnings).toHaveLength(2);
  expect(warnings[0]).toContain('dangerouslyAllowBrowser: true');
  expect(warnings[0]).not.toContain('Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z');
});
