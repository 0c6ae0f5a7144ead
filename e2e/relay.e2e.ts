/*
 * A page through runware-rx/relay (examples/relay, in front of the e2e simulator): the page uses
 * runware-rx unchanged with a session token, and the relay's real key is in no frame the page
 * sends or receives, nor in the streamed text answer it gets over the relay's HTTP route. Then
 * the warning a page gets when it holds what looks like a raw key.
 */
import type { WebSocket } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { BUILD_DIR, e2eEnv } from './paths.js';

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

declare global {
  interface Window {
    /** What each `fetch` of the page received, recorded by `recordFetchedBodies`. */
    fetchedBodies?: Promise<{ url: string; body: string }>[];
  }
}

/**
 * Runs before the page's script: keeps what each `fetch` of the page receives, from a clone of the
 * response read beside the page's own reading (which goes on piece by piece), since Chromium keeps
 * no body of a streamed response for Playwright to read. runware-rx aborts a stream's request once
 * it has the result; what came until then is kept.
 */
const recordFetchedBodies = (): void => {
  const native = window.fetch.bind(window);
  const bodies: Promise<{ url: string; body: string }>[] = [];
  window.fetchedBodies = bodies;
  window.fetch = async (input, init) => {
    const response = await native(input, init);
    const reader = response.clone().body?.getReader();
    const decoder = new TextDecoder();
    const readAll = async (): Promise<{ url: string; body: string }> => {
      let body = '';
      try {
        for (let chunk = await reader?.read(); chunk !== undefined && !chunk.done; chunk = await reader?.read()) body += decoder.decode(chunk.value, { stream: true });
      } catch {
        // Aborted by the page: the chunks before are in `body`.
      }
      return { url: response.url, body };
    };
    bodies.push(readAll());
    return response;
  };
};

test('the relay example page shows a streamed text answer piece by piece, then its end; the real key is in nothing the page gets', async ({ page }) => {
  const key = e2eEnv('E2E_RELAY_KEY');
  const address = e2eEnv('E2E_RELAY_EXAMPLE_URL');
  const question = 'Why do lighthouses blink?';
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  // Everything else the page sends and gets: requests with their headers, the bodies of the
  // responses that are not streams (the page, its script, /session), socket frames.
  const seen: Promise<string>[] = [];
  const posts: string[] = [];
  page.on('request', (request) => {
    seen.push(Promise.resolve(`${request.url()} ${JSON.stringify(request.headers())} ${request.postData() ?? ''}`));
    if (request.method() === 'POST') posts.push(request.url());
  });
  page.on('response', (response) => {
    if (!(response.headers()['content-type'] ?? '').includes('text/event-stream')) seen.push(response.finished().then(() => response.text()));
  });
  page.on('websocket', (socket: WebSocket) => {
    socket.on('framereceived', ({ payload }) => seen.push(Promise.resolve(String(payload))));
    socket.on('framesent', ({ payload }) => seen.push(Promise.resolve(String(payload))));
  });
  await page.addInitScript(recordFetchedBodies);
  await page.goto(address);
  await expect(page.locator('#status')).toHaveText('ready');

  // What the page shows, change by change: each piece added to the answer, in order, and the
  // moment its end line is written. The records keep every change, even several in one task.
  const shown = await page.evaluateHandle(() => {
    const changes: string[] = [];
    const answer = document.getElementById('answer')!;
    const end = document.getElementById('answer-end')!;
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        if (record.target === answer) {
          if (record.removedNodes.length > 0) changes.push('cleared');
          for (const node of Array.from(record.addedNodes)) changes.push(`piece:${node.textContent ?? ''}`);
        } else if (end.textContent !== '') changes.push(`end:${end.textContent}`);
      }
    });
    observer.observe(answer, { childList: true, subtree: true, characterData: true });
    observer.observe(end, { childList: true, subtree: true, characterData: true });
    return changes;
  });

  await page.fill('#question', question);
  await page.click('#ask-button');
  await expect(page.locator('#status')).toHaveText('answer ready');
  const changes = await shown.jsonValue();
  const ended = changes.findIndex((change) => change.startsWith('end:'));
  const before = changes.slice(0, ended);
  expect(before.every((change) => change.startsWith('piece:'))).toBe(true);
  const pieces = before.map((change) => change.slice('piece:'.length));
  expect(pieces.length).toBeGreaterThan(1);
  expect(changes.slice(ended)).toEqual([expect.stringMatching(/^end:finishReason: stop · \d+ prompt \+ \d+ completion = \d+ tokens$/)]);
  const answer = await page.locator('#answer').textContent();
  expect(answer).toBe(pieces.join(''));
  expect(answer).toContain(question); // the simulator's answer quotes the question it was asked
  await expect(page.locator('#ask-button')).toBeEnabled();
  await page.screenshot({ path: `${BUILD_DIR}relay-answer.png` }); // for people: the page after its answer

  // The answer came over the relay's HTTP route, one event per piece shown, and from nowhere else.
  expect(posts.filter((url) => url !== `${address}session`)).toEqual([`${address}runware`]);
  const fetched = await page.evaluate(() => Promise.all(window.fetchedBodies ?? []));
  const streamed = fetched.filter(({ url }) => url === `${address}runware`);
  expect(streamed).toHaveLength(1);
  const events = streamed[0]!.body.split('\n').filter((line) => line.startsWith('data: {'));
  expect(events.filter((line) => line.includes('"delta"'))).toHaveLength(pieces.length);

  expect(fetched.filter(({ body }) => body.includes(key))).toEqual([]);
  expect((await Promise.all(seen)).filter((item) => item.includes(key))).toEqual([]);
  expect(await page.content()).not.toContain(key);
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
