/** File extensions of everything the simulator serves. */
export type MediaExtension = 'png' | 'jpg' | 'webp' | 'mp4';

/** Output formats the simulator can produce, with their file extension and Content-Type. */
export interface FileFormat {
  readonly extension: MediaExtension;
  readonly mime: string;
}

/** Image `outputFormat` values (upper case, as the API documents them). */
export type ImageFormat = 'PNG' | 'JPG' | 'WEBP';

export const IMAGE_FORMATS: Readonly<Record<ImageFormat, FileFormat>> = {
  PNG: { extension: 'png', mime: 'image/png' },
  JPG: { extension: 'jpg', mime: 'image/jpeg' },
  WEBP: { extension: 'webp', mime: 'image/webp' },
};

export const MP4: FileFormat = { extension: 'mp4', mime: 'video/mp4' };
