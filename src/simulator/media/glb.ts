import { randomFor } from './prng.js';

/**
 * glTF 2.0 binary files (GLB) written by hand: a 12-byte header (`glTF`, version 2, length), a
 * JSON chunk (the scene: one node, one mesh, one primitive with positions, normals and indices,
 * one material) padded with spaces, and a BIN chunk (the three arrays) padded with zeros, every
 * chunk 4-byte aligned as the format requires. The position accessor carries its exact `min` and
 * `max`, which loaders use for bounds.
 */

/** A triangle mesh: xyz positions and normals per vertex, three indices per triangle. */
export interface Mesh {
  readonly positions: Float32Array;
  readonly normals: Float32Array;
  readonly indices: Uint16Array;
  /** Linear RGBA, 0–1. */
  readonly colour: readonly [number, number, number, number];
}

/**
 * A lumpy sphere drawn from the prompt and seed: latitude-longitude rings whose radius is bent by
 * a few seeded waves, so each prompt gets its own shape, about one unit across.
 *
 * @param prompt What the model is of.
 * @param seed The generation's seed.
 * @param detail Rings from pole to pole (and twice as many around).
 */
export const lumpySphere = (prompt: string, seed: number, detail = 16): Mesh => {
  const random = randomFor(prompt, seed);
  const waves = Array.from({ length: 3 }, () => ({ u: 1 + Math.floor(random() * 4), v: 1 + Math.floor(random() * 4), phase: random() * Math.PI * 2, depth: 0.05 + random() * 0.15 }));
  const rings = Math.max(2, detail);
  const around = rings * 2;
  const count = (rings + 1) * (around + 1);
  const positions = new Float32Array(count * 3);
  const normals = new Float32Array(count * 3);
  let p = 0;
  for (let i = 0; i <= rings; i++) {
    const theta = (Math.PI * i) / rings;
    for (let j = 0; j <= around; j++, p++) {
      const phi = (2 * Math.PI * j) / around;
      const bump = waves.reduce((sum, wave) => sum + wave.depth * Math.sin(wave.u * theta + wave.phase) * Math.cos(wave.v * phi), 0);
      const radius = 0.5 * (1 + bump);
      const [x, y, z] = [Math.sin(theta) * Math.cos(phi), Math.cos(theta), Math.sin(theta) * Math.sin(phi)];
      positions.set([radius * x, radius * y, radius * z], p * 3);
      // The sphere's normal: close enough for shading a gentle bump.
      normals.set([x, y, z], p * 3);
    }
  }
  const indices: number[] = [];
  for (let i = 0; i < rings; i++) {
    for (let j = 0; j < around; j++) {
      const a = i * (around + 1) + j;
      const b = a + around + 1;
      indices.push(a, b, a + 1, a + 1, b, b + 1);
    }
  }
  const hue = random();
  const colour: [number, number, number, number] = [0.4 + 0.5 * Math.abs(Math.sin(hue * 6.28)), 0.4 + 0.5 * Math.abs(Math.sin(hue * 6.28 + 2)), 0.4 + 0.5 * Math.abs(Math.sin(hue * 6.28 + 4)), 1];
  return { positions, normals, indices: new Uint16Array(indices), colour };
};

const align4 = (length: number): number => (length + 3) & ~3;

/** Per-axis minimum and maximum of xyz triples. */
const bounds = (values: Float32Array): { min: number[]; max: number[] } => {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < values.length; i++) {
    const axis = i % 3;
    min[axis] = Math.min(min[axis]!, values[i]!);
    max[axis] = Math.max(max[axis]!, values[i]!);
  }
  return { min, max };
};

/**
 * Encodes a mesh as a GLB.
 *
 * @param mesh The mesh.
 * @param name The mesh's and node's name (the prompt, cut), for viewers that show it.
 * @returns The file.
 */
export const encodeGlb = (mesh: Mesh, name: string): Buffer => {
  const positionBytes = mesh.positions.byteLength;
  const normalBytes = mesh.normals.byteLength;
  const indexBytes = mesh.indices.byteLength;
  const binLength = align4(positionBytes + normalBytes + indexBytes);
  const vertices = mesh.positions.length / 3;
  const { min, max } = bounds(mesh.positions);
  const gltf = {
    asset: { version: '2.0', generator: 'runware-rx simulator' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0, name }],
    meshes: [{ name, primitives: [{ attributes: { POSITION: 0, NORMAL: 1 }, indices: 2, material: 0, mode: 4 }] }],
    materials: [{ pbrMetallicRoughness: { baseColorFactor: mesh.colour, metallicFactor: 0, roughnessFactor: 0.8 } }],
    buffers: [{ byteLength: binLength }],
    bufferViews: [
      { buffer: 0, byteOffset: 0, byteLength: positionBytes, target: 34962 },
      { buffer: 0, byteOffset: positionBytes, byteLength: normalBytes, target: 34962 },
      { buffer: 0, byteOffset: positionBytes + normalBytes, byteLength: indexBytes, target: 34963 },
    ],
    accessors: [
      { bufferView: 0, componentType: 5126, count: vertices, type: 'VEC3', min, max },
      { bufferView: 1, componentType: 5126, count: vertices, type: 'VEC3' },
      { bufferView: 2, componentType: 5123, count: mesh.indices.length, type: 'SCALAR' },
    ],
  };
  const json = Buffer.from(JSON.stringify(gltf), 'utf8');
  const jsonLength = align4(json.length);
  const file = Buffer.alloc(12 + 8 + jsonLength + 8 + binLength);
  file.write('glTF', 0, 'ascii');
  file.writeUInt32LE(2, 4);
  file.writeUInt32LE(file.length, 8);
  file.writeUInt32LE(jsonLength, 12);
  file.write('JSON', 16, 'ascii');
  json.copy(file, 20);
  file.fill(0x20, 20 + json.length, 20 + jsonLength);
  const bin = 20 + jsonLength;
  file.writeUInt32LE(binLength, bin);
  file.write('BIN\0', bin + 4, 'ascii');
  Buffer.from(mesh.positions.buffer, mesh.positions.byteOffset, positionBytes).copy(file, bin + 8);
  Buffer.from(mesh.normals.buffer, mesh.normals.byteOffset, normalBytes).copy(file, bin + 8 + positionBytes);
  Buffer.from(mesh.indices.buffer, mesh.indices.byteOffset, indexBytes).copy(file, bin + 8 + positionBytes + normalBytes);
  return file;
};
