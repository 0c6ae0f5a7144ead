/** File extensions of everything the simulator serves. */
export type MediaExtension = 'png' | 'jpg' | 'webp' | 'mp4' | 'webm' | 'mov';

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

/** Video `outputFormat` values: the docs' MP4 and WEBM, and MOV, which ts-new adds (protocol §9 row 22). */
export type VideoFormat = 'MP4' | 'WEBM' | 'MOV';

export const VIDEO_FORMATS: Readonly<Record<VideoFormat, FileFormat>> = {
  MP4: { extension: 'mp4', mime: 'video/mp4' },
  WEBM: { extension: 'webm', mime: 'video/webm' },
  MOV: { extension: 'mov', mime: 'video/quicktime' },
};

/** The values a video task's `outputFormat` may take, in the order errors list them. */
export const VIDEO_FORMAT_NAMES: readonly VideoFormat[] = ['MP4', 'WEBM', 'MOV'];
