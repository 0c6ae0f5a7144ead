/**
 * A safetensors file (the format of LoRA weights): an 8-byte little-endian header length, a JSON
 * header naming each tensor's dtype, shape and byte range, then the raw little-endian data. Small
 * but valid: what a trained LoRA's download answers.
 *
 * @param tensors Named float32 tensors with their shapes.
 * @param metadata String metadata (the trigger word, the base model).
 * @returns The file.
 */
export const encodeSafetensors = (tensors: Readonly<Record<string, { shape: readonly number[]; data: Float32Array }>>, metadata: Readonly<Record<string, string>>): Buffer => {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, { shape, data }] of Object.entries(tensors)) {
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  // The header is padded with spaces to a multiple of 8, as writers do, so the data is aligned.
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const jsonBytes = Buffer.from(json, 'utf8');
  const file = Buffer.alloc(8 + jsonBytes.length + offset);
  file.writeBigUInt64LE(BigInt(jsonBytes.length), 0);
  jsonBytes.copy(file, 8);
  let at = 8 + jsonBytes.length;
  for (const { data } of Object.values(tensors)) {
    Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(file, at);
    at += data.byteLength;
  }
  return file;
};
