import type * as Mediabunny from 'mediabunny';

/**
 * The containers the simulator writes with mediabunny besides the H.264 encoder's MP4. Only
 * muxing: the frames are encoded already (VP8 key frames by libwebp, H.264 by the encoder), so
 * nothing needs WebCodecs, which Node lacks.
 */
export interface VideoContainers {
  /** A WebM whose every frame is a VP8 key frame, `fps` frames a second. */
  webm(frames: readonly Uint8Array[], size: { readonly width: number; readonly height: number }, fps: number): Promise<Uint8Array>;
  /** The H.264 stream of an MP4 in a QuickTime file (ftyp `qt  `), copied packet for packet. */
  mov(mp4: Uint8Array): Promise<Uint8Array>;
}

type Module = typeof Mediabunny;
const USED = ['Output', 'BufferTarget', 'WebMOutputFormat', 'MovOutputFormat', 'EncodedVideoPacketSource', 'EncodedPacket', 'Input', 'BufferSource', 'Conversion'] as const;

const written = (target: Mediabunny.BufferTarget): Uint8Array => {
  if (target.buffer === null) throw new Error('mediabunny finalized no file');
  return new Uint8Array(target.buffer);
};

/**
 * Reads mediabunny's module (see optional-deps.ts).
 *
 * @param module What `import('mediabunny')` gave.
 * @returns The two containers.
 * @throws {TypeError} When a class the simulator uses is not exported (another major version).
 */
export const containersFrom = (module: unknown): VideoContainers => {
  const exports = module as Record<string, unknown>;
  // MP4 is an input format object, not a class: the MOV is read from the encoder's MP4 with it.
  const missing = [...USED.filter((name) => typeof exports[name] !== 'function'), ...(typeof exports['MP4'] === 'object' && exports['MP4'] !== null ? [] : ['MP4'])];
  if (missing.length > 0) throw new TypeError(`${missing.join(', ')} not exported`);
  const mb = module as Module;
  return {
    async webm(frames, { width, height }, fps) {
      const target = new mb.BufferTarget();
      const output = new mb.Output({ format: new mb.WebMOutputFormat(), target });
      const source = new mb.EncodedVideoPacketSource('vp8');
      output.addVideoTrack(source, { frameRate: fps });
      await output.start();
      // The decoder config goes with the first packet only: it is the track's header.
      let meta: EncodedVideoChunkMetadata | undefined = { decoderConfig: { codec: 'vp8', codedWidth: width, codedHeight: height } };
      for (const [index, frame] of frames.entries()) {
        await source.add(new mb.EncodedPacket(frame, 'key', index / fps, 1 / fps), meta);
        meta = undefined;
      }
      await output.finalize();
      return written(target);
    },
    async mov(mp4) {
      const input = new mb.Input({ source: new mb.BufferSource(mp4), formats: [mb.MP4] });
      const target = new mb.BufferTarget();
      const conversion = await mb.Conversion.init({ input, output: new mb.Output({ format: new mb.MovOutputFormat(), target }) });
      if (!conversion.isValid) throw new Error(`mediabunny cannot remux the MP4: ${conversion.discardedTracks.map(({ reason }) => reason).join(', ')}`);
      await conversion.execute();
      return written(target);
    },
  };
};
