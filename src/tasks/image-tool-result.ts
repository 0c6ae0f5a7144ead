/**
 * The answer of a tool that turns one image into another (`upscale`, `removeBackground`): the
 * image as the request's `outputType` asked, with the UUID the server gave the input. Requests in
 * the schema style (`inputs.image`) may be answered with `mediaUUID`/`mediaURL` instead.
 */
export interface ImageToolResult {
  readonly taskType: string;
  readonly taskUUID: string;
  readonly imageUUID?: string;
  readonly imageURL?: string;
  readonly imageBase64Data?: string;
  readonly imageDataURI?: string;
  readonly mediaUUID?: string;
  readonly mediaURL?: string;
  readonly inputImageUUID?: string;
  readonly cost?: number;
}
