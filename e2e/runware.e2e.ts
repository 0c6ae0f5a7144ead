/*
 * The built package in Chromium, over the browser's native WebSocket, against the simulator:
 * a video request streamed event by event and played back, and an image request as a Promise.
 */
import { writeFile } from 'node:fs/promises';
import type { TaskEvent } from 'runware-rx';
import type { VideoInferenceResult } from 'runware-rx/tasks';
import { expect, test } from './fixtures.js';
import { CODEC_FILE, e2eEnv, SCREENSHOT_FILE } from './paths.js';

/**
 * What the browser is asked about, for the report when playback fails: the simulator's MP4s are
 * H.264 Baseline level 2.1 (`avc1.420015`, from h264-mp4-encoder), then the common Baseline 3.0
 * and High 3.1 strings.
 */
const H264_TYPES = [
  'video/mp4',
  'video/mp4; codecs="avc1.420015"',
  'video/mp4; codecs="avc1.42E01E"',
  'video/mp4; codecs="avc1.64001F"',
];

test('video$ streams submitted, accepted, status, result and completes; the video plays', async ({ app, pageErrors }, testInfo) => {
  const url = e2eEnv('E2E_SIMULATOR_URL');

  const run = await app.evaluate(async (wsUrl) => {
    const { createRunware, showEvent } = window.runwareE2E!;
    const runware = createRunware({ apiKey: 'e2e-key', url: wsUrl });
    const events: unknown[] = [];
    const outcome = await new Promise<string>((resolve) => {
      runware.video$({ model: 'klingai:5@3', positivePrompt: 'waves at dusk', duration: 5 }).subscribe({
        next: (event) => {
          events.push(event);
          const detail =
            event.type === 'status' ? ` ${event.status} progress=${String(event.progress)}` : event.type === 'result' ? ` ${String(event.item.videoURL)}` : '';
          showEvent(`${event.type}${detail}`, event.type === 'result' ? 'result' : undefined);
        },
        error: (error: unknown) => {
          showEvent(`error: ${String(error)}`, 'error');
          resolve(`error: ${String(error)}`);
        },
        complete: () => {
          showEvent('complete');
          resolve('complete');
        },
      });
    });
    await runware.disconnect();
    return { outcome, events, sockets: window.nativeSocketUrls ?? [] };
  }, url);

  expect(run.outcome).toBe('complete');
  expect(run.sockets).toEqual([url]);
  const events = run.events as TaskEvent<VideoInferenceResult>[];
  const types = events.map((event) => event.type);
  // submitted, accepted, one or more status, one result, nothing else.
  expect(types.join(' ')).toMatch(/^submitted accepted( status)+ result$/);
  const statuses = events.filter((event) => event.type === 'status');
  expect(statuses.some((event) => typeof event.progress === 'number')).toBe(true);
  const result = events.at(-1);
  if (result?.type !== 'result') throw new Error('the last event is not a result');
  const videoURL = result.item.videoURL ?? '';
  expect(videoURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/.+\.mp4$/);
  expect(new Set(events.map((event) => event.taskUUID)).size).toBe(1);

  const playback = await app.evaluate(
    async ({ src, types: codecTypes }) => {
      const support = codecTypes.map((type) => ({
        type,
        canPlayType: document.createElement('video').canPlayType(type),
        mediaSource: typeof MediaSource === 'undefined' ? false : MediaSource.isTypeSupported(type),
      }));
      const video = window.runwareE2E!.showMedia('video', src);
      video.muted = true;
      video.controls = true;
      video.preload = 'auto';
      const loaded = await new Promise<string>((resolve) => {
        video.addEventListener('loadeddata', () => resolve('loadeddata'), { once: true });
        video.addEventListener('error', () => resolve(`error ${String(video.error?.code)}: ${video.error?.message ?? ''}`), { once: true });
        video.src = src;
      });
      // Show a frame from the middle in the screenshot, not the first one.
      if (loaded === 'loadeddata' && video.duration > 1) {
        await new Promise((resolve) => {
          video.addEventListener('seeked', resolve, { once: true });
          video.currentTime = video.duration / 2;
        });
      }
      return { loaded, support, width: video.videoWidth, height: video.videoHeight, duration: video.duration };
    },
    { src: videoURL, types: H264_TYPES },
  );
  await writeFile(CODEC_FILE, `${JSON.stringify({ videoURL, ...playback }, null, 2)}\n`);
  await testInfo.attach('codec-support.json', { path: CODEC_FILE, contentType: 'application/json' });
  await app.screenshot({ path: SCREENSHOT_FILE, fullPage: true });
  await testInfo.attach('video-page.png', { path: SCREENSHOT_FILE, contentType: 'image/png' });

  // A failure here says why: which H.264 types this Chromium claims to play.
  expect(playback.loaded, `the video did not load; codec support: ${JSON.stringify(playback.support)}`).toBe('loadeddata');
  expect(playback.width).toBeGreaterThan(0);
  expect(playback.height).toBeGreaterThan(0);
  expect(playback.duration).toBeGreaterThan(0);
  expect(pageErrors).toEqual([]);
});

test('imageInference resolves with an imageURL that loads at the requested size', async ({ app, pageErrors }) => {
  const url = e2eEnv('E2E_SIMULATOR_URL');
  const image = await app.evaluate(async (wsUrl) => {
    const { createRunware, showEvent, showMedia } = window.runwareE2E!;
    const runware = createRunware({ apiKey: 'e2e-key', url: wsUrl });
    const results = await runware.imageInference({ model: 'runware:101@1', positivePrompt: 'a red lighthouse on a cliff', width: 512, height: 384 });
    await runware.disconnect();
    const imageURL = results[0]?.imageURL ?? '';
    showEvent(`imageInference resolved: ${imageURL}`, 'result');
    const img = showMedia('img', imageURL);
    const loaded = await new Promise<string>((resolve) => {
      img.onload = () => resolve('load');
      img.onerror = () => resolve('error');
      img.src = imageURL;
    });
    return { count: results.length, imageURL, loaded, width: img.naturalWidth, height: img.naturalHeight };
  }, url);

  expect(image.count).toBe(1);
  expect(image.imageURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/.+\.(jpg|png|webp)$/);
  expect(image.loaded).toBe('load');
  expect({ width: image.width, height: image.height }).toEqual({ width: 512, height: 384 });
  expect(pageErrors).toEqual([]);
});

test('textInference with deliveryMethod "stream" shows the answer piece by piece over fetch, then the whole text', async ({ app, pageErrors }) => {
  const url = e2eEnv('E2E_SIMULATOR_URL');
  const run = await app.evaluate(async (wsUrl) => {
    const { createRunware, showEvent } = window.runwareE2E!;
    const runware = createRunware({ apiKey: 'e2e-key', url: wsUrl });
    const pieces: string[] = [];
    const types: string[] = [];
    const text = await new Promise<string>((resolve, reject) => {
      runware.textInference$({ model: 'google:gemma@4-31b', messages: [{ role: 'user', content: 'What is a lighthouse for?' }], deliveryMethod: 'stream' }).subscribe({
        next: (event) => {
          types.push(event.type);
          if (event.type === 'partial') pieces.push(event.item.delta.text ?? '');
          if (event.type === 'result') {
            showEvent(`textInference streamed: ${event.item.text}`, 'result');
            resolve(event.item.text);
          }
        },
        error: reject,
      });
    });
    await runware.disconnect();
    return { text, pieces, types, sockets: window.nativeSocketUrls ?? [] };
  }, url);

  expect(run.pieces.length).toBeGreaterThan(1);
  expect(run.pieces.join('')).toBe(run.text);
  expect(run.types[0]).toBe('submitted');
  expect(run.types.at(-1)).toBe('result');
  // The stream went over fetch: no socket was opened for it.
  expect(run.sockets).toEqual([]);
  expect(pageErrors).toEqual([]);
});
