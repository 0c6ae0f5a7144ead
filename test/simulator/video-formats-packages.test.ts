import { describe, expect, it } from 'vitest';
import { createMediaEngine } from '../../src/simulator/media/media-engine.js';
import { mediaStatusOf, missingMediaNotice } from '../../src/simulator/media/media-status.js';
import { createMediaStore } from '../../src/simulator/media/media-store.js';
import { loadMediaPackages, type MediaPackages } from '../../src/simulator/media/optional-deps.js';
import { containerHeader, readVideo } from './support/video.js';

/*
 * Which video formats are real depends on which optional packages loaded: MP4 needs the H.264
 * encoder, WEBM mediabunny (its frames come from sharp), MOV both. A format whose packages are
 * missing is served as its placeholder, never as an error, and the start-up notice names the
 * package. The loader is the seam: a package is made to fail as Node fails for one not installed.
 */

const notInstalled = (name: string) => () =>
  Promise.reject(Object.assign(new Error(`Cannot find package '${name}' imported from /app/simulator.js`), { code: 'ERR_MODULE_NOT_FOUND' }));

const engineWith = (packages: MediaPackages) => {
  const store = createMediaStore(10_000_000);
  const engine = createMediaEngine({ packages, baseUrl: 'http://127.0.0.1:9', store, isClosed: () => false });
  /** The URL of a video of `format` and the file it names. */
  const make = async (format: 'MP4' | 'WEBM' | 'MOV') => {
    const { videoURL } = await engine.video({ prompt: 'waves', seed: 7, width: 640, height: 360, uuid: engine.videoUUID(format), format });
    return { videoURL, bytes: store.get(decodeURIComponent(videoURL.slice(videoURL.lastIndexOf('/') + 1)))!.bytes };
  };
  return { engine, make };
};

describe('simulator: video formats and the optional packages', () => {
  it('without mediabunny: MP4 is real, WEBM and MOV are their placeholders, and the notice says what to install', async () => {
    const packages = await loadMediaPackages({ sharp: () => import('sharp'), encoder: () => import('h264-mp4-encoder'), containers: notInstalled('mediabunny') });
    expect(mediaStatusOf(packages)).toEqual({ images: 'real', videos: 'real', videoFormats: { MP4: 'real', WEBM: 'placeholder', MOV: 'placeholder' }, missing: ['mediabunny'] });
    expect(missingMediaNotice(packages)).toMatch(/^serving real images and MP4 videos, but placeholder WEBM and MOV videos: the optional package mediabunny is not installed\. For real media: npm install --save-dev mediabunny\./);
    const { make } = engineWith(packages);
    expect(await readVideo((await make('MP4')).bytes)).toMatchObject({ width: 480, height: 270, frames: 24 });
    for (const [format, extension] of [['WEBM', 'webm'], ['MOV', 'mov']] as const) {
      const { videoURL, bytes } = await make(format);
      expect(videoURL).toBe(`http://127.0.0.1:9/media/placeholder.${extension}`);
      expect(await readVideo(bytes)).toMatchObject({ width: 16, height: 16, frames: 1 });
    }
  });

  it('takes a mediabunny that lacks what the simulator uses (another major version) as missing, and says what it lacks', async () => {
    const mediabunny = await import('mediabunny');
    const withoutMp4 = { ...mediabunny, MP4: undefined };
    const packages = await loadMediaPackages({ sharp: () => import('sharp'), encoder: () => import('h264-mp4-encoder'), containers: () => Promise.resolve(withoutMp4) });
    expect(packages.videoContainers).toBeUndefined();
    expect(packages.missing).toEqual([{ name: 'mediabunny', reason: expect.stringContaining('MP4 not exported'), installed: true }]);
    expect(mediaStatusOf(packages).videoFormats).toEqual({ MP4: 'real', WEBM: 'placeholder', MOV: 'placeholder' });
  });

  it('without the H.264 encoder: WEBM is still real (libwebp makes its frames), MP4 and MOV are placeholders', async () => {
    const packages = await loadMediaPackages({ sharp: () => import('sharp'), encoder: notInstalled('h264-mp4-encoder') });
    const { make } = engineWith(packages);
    const webm = await make('WEBM');
    expect(containerHeader(webm.bytes)).toBe('EBML webm');
    expect(await readVideo(webm.bytes)).toMatchObject({ codec: 'vp8', width: 480, height: 270, frames: 24 });
    expect((await make('MP4')).videoURL).toBe('http://127.0.0.1:9/media/placeholder.mp4');
    expect((await make('MOV')).videoURL).toBe('http://127.0.0.1:9/media/placeholder.mov');
  });
});
