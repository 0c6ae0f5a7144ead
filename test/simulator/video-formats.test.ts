import { describe, expect, it } from 'vitest';
import { client, simulator } from '../support/simulator.js';
import { containerHeader, decodeVp8Frame, readVideo, videoPackets } from './support/video.js';

/*
 * Video outputFormat (protocol §4.3, §9 row 22): MP4 (the default), WEBM and MOV, asked for
 * through runware-rx over the simulator's WebSocket and read back from the served bytes by a
 * demuxer (mediabunny's Input), by the container's own header, and, for WEBM, by decoding VP8
 * frames with libwebp: each check fails if the file is of another format than the one asked for.
 */

const FORMATS = [
  { outputFormat: 'MP4', extension: 'mp4', mime: 'video/mp4', header: 'ftyp mp42', container: 'MP4', codec: 'avc' },
  { outputFormat: 'WEBM', extension: 'webm', mime: 'video/webm', header: 'EBML webm', container: 'WebM', codec: 'vp8' },
  { outputFormat: 'MOV', extension: 'mov', mime: 'video/quicktime', header: 'ftyp qt  ', container: 'QuickTime File Format', codec: 'avc' },
] as const;

const video = { model: 'klingai:5@3', positivePrompt: 'a comet over a frozen lake', duration: 5, seed: 7 };

/** The served file of a result: its Content-Type, and its bytes. */
const served = async (url: string | undefined) => {
  const response = await fetch(String(url));
  expect(response.status).toBe(200);
  return { mime: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
};

describe('simulator: video outputFormat with real media', () => {
  it.each(FORMATS)('videoInference in $outputFormat: a $container file of $codec, 2 s at 12 fps within 480 px', async (format) => {
    const runware = client(await simulator({ videoReadyAfterMs: 20 }));
    const [result] = await runware.videoInference({ ...video, outputFormat: format.outputFormat });
    expect(result?.videoURL).toMatch(new RegExp(`\\.${format.extension}$`));
    const { mime, bytes } = await served(result?.videoURL);
    expect(mime).toBe(format.mime);
    expect(containerHeader(bytes)).toBe(format.header);
    // 1280×720 by default, within the renderer's 480 px: 480×270, 24 frames.
    expect(await readVideo(bytes)).toEqual({ container: format.container, codec: format.codec, width: 480, height: 270, seconds: 2, frames: 24 });
  });

  it('a WEBM’s frames are VP8 key frames that decode to the moving scene', async () => {
    const runware = client(await simulator({ videoReadyAfterMs: 20 }));
    const [result] = await runware.videoInference({ ...video, width: 640, height: 640, outputFormat: 'webm' });
    const packets = await videoPackets((await served(result?.videoURL)).bytes);
    expect(packets.every((packet) => packet.type === 'key')).toBe(true);
    const first = await decodeVp8Frame(packets[0]!.data);
    const middle = await decodeVp8Frame(packets[12]!.data);
    expect([first.width, first.height]).toEqual([480, 480]);
    expect(first.distinctColours).toBeGreaterThan(8);
    expect(middle.pixels.equals(first.pixels)).toBe(false);
  });

  it('a MOV carries the same H.264 stream as the MP4 of the same request, remuxed, not encoded again', async () => {
    const runware = client(await simulator({ videoReadyAfterMs: 20 }));
    const [mp4] = await runware.videoInference({ ...video, outputFormat: 'MP4' });
    const [mov] = await runware.videoInference({ ...video, outputFormat: 'MOV' });
    const fromMp4 = await videoPackets((await served(mp4?.videoURL)).bytes);
    const fromMov = await videoPackets((await served(mov?.videoURL)).bytes);
    expect(fromMov).toHaveLength(24);
    const base64 = (packets: typeof fromMov) => packets.map((packet) => Buffer.from(packet.data).toString('base64'));
    expect(base64(fromMov)).toEqual(base64(fromMp4));
  });

  it.each([
    ['videoUpscale', 'WEBM', { upscaleFactor: 2 }],
    ['videoUpscale', 'MOV', { upscaleFactor: 2 }],
    ['videoBackgroundRemoval', 'WEBM', {}],
    ['videoBackgroundRemoval', 'MOV', {}],
  ] as const)('%s of a video in %s answers that format, at the size the tool computes', async (tool, outputFormat, extra) => {
    const runware = client(await simulator({ videoReadyAfterMs: 20 }));
    const [input] = await runware.videoInference({ ...video, width: 320, height: 240 });
    const [result] = await runware[tool]({ inputs: { video: input!.videoUUID! }, outputFormat, ...extra });
    const format = FORMATS.find((entry) => entry.outputFormat === outputFormat)!;
    expect(result?.videoURL).toMatch(new RegExp(`\\.${format.extension}$`));
    const { mime, bytes } = await served(result?.videoURL);
    expect(mime).toBe(format.mime);
    expect(containerHeader(bytes)).toBe(format.header);
    // The input is 320×240; upscaled twice that is 640×480, drawn within 480 px.
    const size = tool === 'videoUpscale' ? { width: 480, height: 360 } : { width: 320, height: 240 };
    expect(await readVideo(bytes)).toEqual({ container: format.container, codec: format.codec, ...size, seconds: 2, frames: 24 });
  });

  it('takes a WEBM or a MOV it made as the input of a video tool', async () => {
    const runware = client(await simulator({ videoReadyAfterMs: 20 }));
    for (const outputFormat of ['WEBM', 'MOV'] as const) {
      const [input] = await runware.videoInference({ ...video, outputFormat });
      const [result] = await runware.videoBackgroundRemoval({ inputs: { video: input!.videoUUID! } });
      expect(containerHeader((await served(result?.videoURL)).bytes)).toBe('ftyp mp42');
    }
  });

  it('reads a WEBM input’s size and length from its own header, as it reads a MOV’s: the tools answer both alike', async () => {
    const runware = client(await simulator({ videoReadyAfterMs: 20 }));
    const captions: string[] = [];
    const upscaled: unknown[] = [];
    for (const outputFormat of ['MOV', 'WEBM'] as const) {
      // 320×240, within the renderer's cap: upscaled twice that is 640×480, drawn within 480 px.
      const [input] = await runware.videoInference({ ...video, width: 320, height: 240, outputFormat });
      const [caption] = await runware.videoCaption({ inputs: { video: input!.videoUUID! } });
      captions.push(String(caption?.text));
      const [upscale] = await runware.videoUpscale({ inputs: { video: input!.videoUUID! }, upscaleFactor: 2 });
      upscaled.push(await readVideo((await served(upscale?.videoURL)).bytes));
    }
    expect(captions[0]).toMatch(/^A 2\.0-second 320×240 landscape video at 12 fps\./);
    expect(captions[1]).toBe(captions[0]);
    expect(upscaled[0]).toMatchObject({ width: 480, height: 360 });
    expect(upscaled[1]).toEqual(upscaled[0]);
  });
});

describe('simulator: video outputFormat in fast mode (media: false)', () => {
  it.each(FORMATS)('videoInference in $outputFormat: a one-frame 16×16 $container placeholder', async (format) => {
    const runware = client(await simulator({ media: false, videoReadyAfterMs: 0 }));
    const [result] = await runware.videoInference({ ...video, outputFormat: format.outputFormat });
    expect(result?.videoURL).toMatch(new RegExp(`/placeholder\\.${format.extension}$`));
    const { mime, bytes } = await served(result?.videoURL);
    expect(mime).toBe(format.mime);
    expect(containerHeader(bytes)).toBe(format.header);
    expect(await readVideo(bytes)).toMatchObject({ container: format.container, codec: format.codec, width: 16, height: 16, frames: 1 });
  });

  it.each(FORMATS)('videoUpscale in $outputFormat answers that placeholder', async (format) => {
    const runware = client(await simulator({ media: false, videoReadyAfterMs: 0 }));
    const [result] = await runware.videoUpscale({ inputs: { video: 'https://example.com/clip.mp4' }, upscaleFactor: 2, outputFormat: format.outputFormat });
    const { mime, bytes } = await served(result?.videoURL);
    expect([result?.videoURL?.split('.').at(-1), mime]).toEqual([format.extension, format.mime]);
    expect(await readVideo(bytes)).toMatchObject({ container: format.container, codec: format.codec });
  });

  it('a WEBM placeholder’s one frame is a VP8 key frame', async () => {
    const runware = client(await simulator({ media: false, videoReadyAfterMs: 0 }));
    const [result] = await runware.videoInference({ ...video, outputFormat: 'WEBM' });
    const packets = await videoPackets((await served(result?.videoURL)).bytes);
    expect(await decodeVp8Frame(packets[0]!.data)).toMatchObject({ width: 16, height: 16 });
  });
});
