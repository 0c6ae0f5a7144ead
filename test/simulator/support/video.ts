import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input, type EncodedPacket } from 'mediabunny';
import sharp from 'sharp';

/** What a demuxer reads of a video file: its container, its first video track, and how long it lasts. */
export interface VideoSummary {
  readonly container: string;
  readonly codec: string | null;
  readonly width: number;
  readonly height: number;
  /** Rounded to hundredths. */
  readonly seconds: number;
  readonly frames: number;
}

const open = async (bytes: Uint8Array) => {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  if (track === null) throw new Error('the file has no video track');
  return { input, track };
};

/** Every packet (encoded frame) of a file's video track, in decode order. */
export const videoPackets = async (bytes: Uint8Array): Promise<EncodedPacket[]> => {
  const { track } = await open(bytes);
  const packets: EncodedPacket[] = [];
  for await (const packet of new EncodedPacketSink(track).packets()) packets.push(packet);
  return packets;
};

/** Reads a video file back with mediabunny's demuxer. */
export const readVideo = async (bytes: Uint8Array): Promise<VideoSummary> => {
  const { input, track } = await open(bytes);
  return {
    container: (await input.getFormat()).name,
    codec: track.codec,
    width: track.displayWidth,
    height: track.displayHeight,
    seconds: Math.round((await input.computeDuration()) * 100) / 100,
    frames: (await videoPackets(bytes)).length,
  };
};

const ascii = (bytes: Uint8Array, from: number, to: number): string => Buffer.from(bytes.subarray(from, to)).toString('latin1');

/** An EBML variable-length integer at `at`: its value (marker bit cleared unless `keepMarker`) and length. */
const vint = (bytes: Uint8Array, at: number, keepMarker = false): { value: number; length: number } => {
  const first = bytes[at]!;
  const length = Math.clz32(first) - 23;
  if (length < 1 || length > 8) throw new Error(`no EBML integer at ${at}`);
  let value = keepMarker ? first : first & (0xff >> length);
  for (let index = 1; index < length; index++) value = value * 256 + bytes[at + index]!;
  return { value, length };
};

/** The DocType of an EBML header (`webm`, `matroska`), read element by element. */
const ebmlDocType = (bytes: Uint8Array): string => {
  const header = vint(bytes, 4);
  const end = 4 + header.length + header.value;
  for (let at = 4 + header.length; at < end; ) {
    const id = vint(bytes, at, true);
    const size = vint(bytes, at + id.length);
    const body = at + id.length + size.length;
    if (id.value === 0x4282) return ascii(bytes, body, body + size.value);
    at = body + size.value;
  }
  throw new Error('the EBML header has no DocType');
};

/**
 * What a file's first bytes say it is, read by hand: `ftyp <major brand>` for ISO media (`mp42`
 * from the H.264 encoder, `qt  ` for QuickTime), `EBML <DocType>` for Matroska and WebM.
 */
export const containerHeader = (bytes: Uint8Array): string => {
  if (ascii(bytes, 4, 8) === 'ftyp') return `ftyp ${ascii(bytes, 8, 12)}`;
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return `EBML ${ebmlDocType(bytes)}`;
  return `unknown ${Buffer.from(bytes.subarray(0, 12)).toString('hex')}`;
};

/**
 * Decodes one VP8 frame with libwebp (through sharp), by wrapping it as the `VP8 ` chunk of a
 * lossy WebP: a frame that is no VP8 key frame fails to decode.
 */
export const decodeVp8Frame = async (frame: Uint8Array): Promise<{ width: number; height: number; pixels: Buffer; distinctColours: number }> => {
  const padded = frame.length + (frame.length % 2);
  const webp = Buffer.alloc(20 + padded);
  webp.write('RIFF', 0, 'latin1');
  webp.writeUInt32LE(12 + padded, 4);
  webp.write('WEBPVP8 ', 8, 'latin1');
  webp.writeUInt32LE(frame.length, 16);
  webp.set(frame, 20);
  const { data, info } = await sharp(webp).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const colours = new Set<number>();
  for (let index = 0; index < data.length; index += 3) colours.add((data[index]! << 16) | (data[index + 1]! << 8) | data[index + 2]!);
  return { width: info.width, height: info.height, pixels: data, distinctColours: colours.size };
};
