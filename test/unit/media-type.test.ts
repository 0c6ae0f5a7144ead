import { describe, expect, it } from 'vitest';
import { sniffMediaType, toMediaString } from '../../src/util/media-encoding.js';

/*
 * The type a media input is sent under: a page's Blob says what the browser thinks (MediaRecorder
 * adds codecs, some tools add a charset), a file without one is sniffed. Either way the data URI
 * must be well formed and must not call an image a video.
 */

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
/** An ISO-BMFF file's start: a box size, `ftyp`, then the major brand. */
const isoFile = (brand: string): Uint8Array => bytes(0, 0, 0, 0x18, ...Buffer.from(`ftyp${brand}`, 'latin1'), 0, 0, 0, 0);

describe('the type of a media input', () => {
  it('is the bare type of a Blob type with parameters, lower-cased: a comma in `codecs=vp8,opus` would end the data URI', () => {
    const webm = bytes(0x1a, 0x45, 0xdf, 0xa3, 1);
    expect(toMediaString(webm, 'video/webm;codecs=vp8,opus')).toBe('data:video/webm;base64,GkXfowE=');
    expect(toMediaString(webm, 'Audio/WebM; codecs="opus"')).toBe('data:audio/webm;base64,GkXfowE=');
    expect(toMediaString(bytes(0x89, 0x50, 0x4e, 0x47), 'image/png; charset=binary')).toBe('data:image/png;base64,iVBORw==');
  });

  it('is sniffed from the bytes when the given type is not a type at all', () => {
    expect(toMediaString(bytes(0x89, 0x50, 0x4e, 0x47), 'png')).toBe('data:image/png;base64,iVBORw==');
    expect(toMediaString(bytes(0x89, 0x50, 0x4e, 0x47), ' ; ')).toBe('data:image/png;base64,iVBORw==');
    expect(toMediaString(bytes(1, 2, 3), 'not a type')).toBe('AQID');
  });

  it('tells AVIF, HEIC, QuickTime and M4A from MP4 by the brand of their ftyp box, and leaves other brands MP4', () => {
    expect(sniffMediaType(isoFile('avif'))).toBe('image/avif');
    expect(sniffMediaType(isoFile('avis'))).toBe('image/avif');
    expect(sniffMediaType(isoFile('heic'))).toBe('image/heic');
    expect(sniffMediaType(isoFile('heix'))).toBe('image/heic');
    expect(sniffMediaType(isoFile('qt  '))).toBe('video/quicktime');
    expect(sniffMediaType(isoFile('M4A '))).toBe('audio/mp4');
    expect(sniffMediaType(isoFile('isom'))).toBe('video/mp4');
    expect(sniffMediaType(isoFile('mp42'))).toBe('video/mp4');
  });
});
