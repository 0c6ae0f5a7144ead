import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createMediaEngine } from '../../src/simulator/media/media-engine.js';
import { mediaStatusOf, missingMediaNotice, videosInWords } from '../../src/simulator/media/media-status.js';
import { createMediaStore } from '../../src/simulator/media/media-store.js';
import { loadMediaPackages, type MediaPackages } from '../../src/simulator/media/optional-deps.js';
import { PLACEHOLDER_BASE64 } from '../../src/simulator/media/placeholders.js';

/*
 * The simulator's optional peers (sharp, h264-mp4-encoder) are not installed by npm for users
 * of the package. Without them it must say so at start and serve placeholders. The seam is the
 * loader: here it is made to fail as Node fails for a package that is not installed. The packed
 * CLI in a project without the packages is run for real in consumers.test.ts.
 */

const notInstalled = (name: string) => () =>
  Promise.reject(Object.assign(new Error(`Cannot find package '${name}' imported from /app/simulator.js`), { code: 'ERR_MODULE_NOT_FOUND' }));

const realSharp = () => import('sharp');
const realEncoder = () => import('h264-mp4-encoder');

const engineWith = (packages: MediaPackages, store = createMediaStore(10_000_000)) => ({
  store,
  engine: createMediaEngine({ packages, baseUrl: 'http://127.0.0.1:9', store, isClosed: () => false }),
});

const imageSpec = { prompt: 'a lighthouse', seed: 7, width: 320, height: 200, format: 'PNG', quality: undefined, outputType: 'base64Data', uuid: 'u1' } as const;
const videoSpec = { prompt: 'waves', seed: 7, width: 640, height: 360, uuid: 'v1' } as const;

describe('the simulator without its optional media packages', () => {
  it('finds out at start which packages are missing, and why', async () => {
    const packages = await loadMediaPackages({ sharp: notInstalled('sharp'), encoder: notInstalled('h264-mp4-encoder') });
    expect(packages.sharp).toBeUndefined();
    expect(packages.createEncoder).toBeUndefined();
    expect(packages.missing).toEqual([
      { name: 'sharp', reason: "Cannot find package 'sharp' imported from /app/simulator.js", installed: false },
      { name: 'h264-mp4-encoder', reason: "Cannot find package 'h264-mp4-encoder' imported from /app/simulator.js", installed: false },
    ]);
    expect(mediaStatusOf(packages)).toEqual({ images: 'placeholder', videos: 'placeholder', videoFormats: { MP4: 'placeholder', WEBM: 'placeholder', MOV: 'placeholder' }, missing: ['sharp', 'h264-mp4-encoder'] });
  });

  it('says in one short line what it serves instead, which packages are not installed, the command for just those, and how to silence it', async () => {
    const packages = await loadMediaPackages({ sharp: notInstalled('sharp'), encoder: notInstalled('h264-mp4-encoder') });
    expect(missingMediaNotice(packages)).toBe(
      'serving placeholder images and videos: the optional packages sharp and h264-mp4-encoder are not installed. For real media: npm install --save-dev sharp h264-mp4-encoder. For placeholders without this notice: media: false (CLI: --fast).',
    );
    const onlyMediabunny = await loadMediaPackages({ sharp: realSharp, encoder: realEncoder, containers: notInstalled('mediabunny') });
    expect(missingMediaNotice(onlyMediabunny)).toBe(
      'serving real images and MP4 videos, but placeholder WEBM and MOV videos: the optional package mediabunny is not installed. For real media: npm install --save-dev mediabunny. For placeholders without this notice: media: false (CLI: --fast).',
    );
  });

  it('tells a package that is installed but cannot load (a native binary for another platform) from one not installed, with the loader’s reason', async () => {
    const broken = () => Promise.reject(new Error('Could not load the "sharp" module using the linux-x64 runtime\nPossible solutions: ...'));
    const packages = await loadMediaPackages({ sharp: broken, encoder: notInstalled('h264-mp4-encoder') });
    expect(missingMediaNotice(packages)).toBe(
      'serving placeholder images and videos: the optional package h264-mp4-encoder is not installed; "sharp" could not be loaded (Could not load the "sharp" module using the linux-x64 runtime). For real media: npm install --save-dev sharp h264-mp4-encoder. For placeholders without this notice: media: false (CLI: --fast).',
    );
  });

  it('names every placeholder in the notice, audio and tracings too, when sharp is missing with them', async () => {
    const packages = await loadMediaPackages({ sharp: notInstalled('sharp'), encoder: realEncoder, audio: notInstalled('wasm-media-encoders'), tracer: notInstalled('imagetracerjs') });
    expect(missingMediaNotice(packages)).toMatch(/^serving placeholder images, videos, MP3\/OGG audio and SVG tracings: /);
  });

  it('serves placeholder images at once instead of failing them', async () => {
    const { engine } = engineWith(await loadMediaPackages({ sharp: notInstalled('sharp'), encoder: notInstalled('h264-mp4-encoder') }));
    const image = engine.image({ ...imageSpec, outputType: 'URL' });
    // A plain value, not a promise that rejects: nothing can fail or be retried.
    expect(image).toEqual({ imageURL: 'http://127.0.0.1:9/media/placeholder.png' });
    expect(engine.video(videoSpec)).toEqual({ videoURL: 'http://127.0.0.1:9/media/placeholder.mp4' });
  });

  it('with sharp but without the encoder, makes real images and placeholder MP4 videos (WEBM stays real: mediabunny muxes it)', async () => {
    const packages = await loadMediaPackages({ sharp: realSharp, encoder: notInstalled('h264-mp4-encoder') });
    expect(mediaStatusOf(packages)).toEqual({ images: 'real', videos: 'placeholder', videoFormats: { MP4: 'placeholder', WEBM: 'real', MOV: 'placeholder' }, missing: ['h264-mp4-encoder'] });
    expect(missingMediaNotice(packages)).toMatch(/^serving real images and WEBM videos, but placeholder MP4 and MOV videos: /);
    expect(videosInWords(mediaStatusOf(packages))).toBe('real WEBM, placeholder MP4/MOV videos');
    const { engine } = engineWith(packages);
    const image = (await engine.image(imageSpec)) as { imageBase64Data: string };
    expect(await sharp(Buffer.from(image.imageBase64Data, 'base64')).metadata()).toMatchObject({ format: 'png', width: 320, height: 200 });
    expect(engine.video(videoSpec)).toEqual({ videoURL: 'http://127.0.0.1:9/media/placeholder.mp4' });
  });

  it('keeps the placeholder video served even when real images fill the media store', async () => {
    const packages = await loadMediaPackages({ sharp: realSharp, encoder: notInstalled('h264-mp4-encoder') });
    const { engine, store } = engineWith(packages, createMediaStore(200_000));
    for (let index = 0; index < 6; index++) await engine.image({ ...imageSpec, seed: index + 1, width: 512, height: 512, outputType: 'URL', uuid: `i${index}` });
    // Placeholders are pinned apart from the LRU: the images cannot evict them.
    expect(store.get('placeholder.mp4')?.mime).toBe('video/mp4');
    engine.video(videoSpec);
    expect(store.get('placeholder.mp4')?.mime).toBe('video/mp4');
  });

  it('says nothing when both packages load', async () => {
    const packages = await loadMediaPackages({ sharp: realSharp, encoder: realEncoder });
    expect(packages.missing).toEqual([]);
    expect(missingMediaNotice(packages)).toBeUndefined();
    expect(mediaStatusOf(packages)).toEqual({ images: 'real', videos: 'real', videoFormats: { MP4: 'real', WEBM: 'real', MOV: 'real' }, missing: [] });
    expect(videosInWords(mediaStatusOf(packages))).toBe('real videos');
  });
});

describe('the placeholder files', () => {
  it.each([
    ['png', 'png'],
    ['jpg', 'jpeg'],
    ['webp', 'webp'],
  ] as const)('%s is an ordinary 8×8 image', async (extension, format) => {
    const metadata = await sharp(Buffer.from(PLACEHOLDER_BASE64[extension], 'base64')).metadata();
    expect(metadata).toMatchObject({ format, width: 8, height: 8 });
  });

  it('mp4 is a well-formed MP4: its top-level boxes tile the file and include ftyp, mdat and moov', () => {
    const bytes = Buffer.from(PLACEHOLDER_BASE64.mp4, 'base64');
    const types: string[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      const size = bytes.readUInt32BE(offset);
      expect(size, `box at ${offset}`).toBeGreaterThanOrEqual(8);
      types.push(bytes.toString('latin1', offset + 4, offset + 8));
      offset += size;
    }
    expect(offset).toBe(bytes.length);
    expect(types).toEqual(expect.arrayContaining(['ftyp', 'mdat', 'moov']));
  });
});
