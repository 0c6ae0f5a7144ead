import sharp from 'sharp';
import { expect } from 'vitest';
import type { Item } from './raw-client.js';

/** The bytes of an image result, whatever its outputType; URL outputs are fetched (and must answer 200). */
export const outputBytes = async (item: Item, prefix = 'image'): Promise<Buffer> => {
  const url = item[`${prefix}URL`];
  if (typeof url === 'string') {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }
  const base64 = item[`${prefix}Base64Data`];
  if (typeof base64 === 'string') return Buffer.from(base64, 'base64');
  const uri = String(item[`${prefix}DataURI`]);
  return Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64');
};

/** RGBA pixels of an encoded image. */
export const pixelsOf = async (bytes: Buffer): Promise<{ data: Buffer; width: number; height: number; channels: number }> => {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
};

/** A rectangle of an image: where the subject is drawn. */
export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** An image of one colour with a rectangle of another: the known input of the background tests. */
export const solidWithBox = async (
  size: { width: number; height: number },
  background: string,
  box: Box & { colour: string },
  format: 'png' | 'jpeg' = 'png',
): Promise<Buffer> => {
  const subject = await sharp({ create: { width: box.width, height: box.height, channels: 4, background: box.colour } }).png().toBuffer();
  const image = sharp({ create: { ...size, channels: 4, background } }).composite([{ input: subject, left: box.left, top: box.top }]);
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 92 }).toBuffer();
};

/** A solid image. */
export const solid = (width: number, height: number, colour: string): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 4, background: colour } }).png().toBuffer();

/** Whether (x, y) lies in the box. */
export const inBox = (box: Box, x: number, y: number): boolean =>
  x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height;

/** As a data URI. */
export const dataUri = (bytes: Buffer, mime = 'image/png'): string => `data:${mime};base64,${bytes.toString('base64')}`;
