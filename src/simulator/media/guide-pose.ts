import { backgroundMask } from './background-removal.js';
import type { Pixels } from './image-tools.js';

/** `openpose`'s guide image: a stick figure over the subject's bounding box, on black. */

/** The subject's bounding box by the background rule, or the middle half of the frame when there is none. */
const subjectBox = (pixels: Pixels) => {
  const mask = backgroundMask(pixels);
  let [left, top, right, bottom] = [pixels.width, pixels.height, -1, -1];
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] === 0) continue;
    const [x, y] = [p % pixels.width, Math.floor(p / pixels.width)];
    [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
  }
  if (right < 0) return { left: pixels.width / 4, top: pixels.height / 4, right: (3 * pixels.width) / 4, bottom: (3 * pixels.height) / 4 };
  return { left, top, right, bottom };
};

/** OpenPose's limb colours, in its usual order. */
const LIMB_COLOURS = ['#ff0000', '#ff5500', '#ffaa00', '#ffff00', '#aaff00', '#55ff00', '#00ff00', '#00ff55', '#00ffaa', '#00ffff', '#00aaff', '#0055ff', '#0000ff'];

/** The figure as an SVG the size of the picture; with `withHandsAndFace`, hands and a face too. */
export const poseSvg = (pixels: Pixels, withHandsAndFace: boolean): string => {
  const { left, top, right, bottom } = subjectBox(pixels);
  const [w, h] = [right - left, bottom - top];
  const point = (u: number, v: number) => [left + u * w, top + v * h] as const;
  const joints = {
    head: point(0.5, 0.1), neck: point(0.5, 0.22), lShoulder: point(0.32, 0.24), rShoulder: point(0.68, 0.24),
    lElbow: point(0.25, 0.42), rElbow: point(0.75, 0.42), lHand: point(0.22, 0.58), rHand: point(0.78, 0.58),
    hip: point(0.5, 0.58), lKnee: point(0.4, 0.78), rKnee: point(0.6, 0.78), lFoot: point(0.38, 0.97), rFoot: point(0.62, 0.97),
  };
  const limbs: (keyof typeof joints)[][] = [
    ['head', 'neck'], ['neck', 'lShoulder'], ['neck', 'rShoulder'], ['lShoulder', 'lElbow'], ['rShoulder', 'rElbow'], ['lElbow', 'lHand'],
    ['rElbow', 'rHand'], ['neck', 'hip'], ['hip', 'lKnee'], ['hip', 'rKnee'], ['lKnee', 'lFoot'], ['rKnee', 'rFoot'],
  ];
  const stroke = Math.max(2, Math.round(Math.min(pixels.width, pixels.height) / 60));
  const lines = limbs.map(([a, b], i) => {
    const [[x1, y1], [x2, y2]] = [joints[a!], joints[b!]];
    return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${LIMB_COLOURS[i % LIMB_COLOURS.length]}" stroke-width="${stroke}" stroke-linecap="round"/>`;
  });
  const dots = Object.values(joints).map(([x, y]) => `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${stroke}" fill="#ffffff"/>`);
  const extras = withHandsAndFace
    ? [joints.lHand, joints.rHand, joints.head].flatMap(([x, y]) => Array.from({ length: 5 }, (_, k) => `<circle cx="${(x + (k - 2) * stroke).toFixed(1)}" cy="${(y + stroke).toFixed(1)}" r="${Math.max(1, stroke / 2)}" fill="#00ffff"/>`))
    : [];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${pixels.width}" height="${pixels.height}"><rect width="100%" height="100%" fill="#000"/>${lines.join('')}${dots.join('')}${extras.join('')}</svg>`;
};
