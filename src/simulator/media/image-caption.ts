import { decode, imageSize, rgba } from './image-tools.js';
import type { Sharp } from './optional-deps.js';

/** Named colours of the caption, in the order ties are broken. */
const COLOURS = ['black', 'white', 'grey', 'red', 'orange', 'brown', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink'] as const;
type Colour = (typeof COLOURS)[number];

const colourName = (r: number, g: number, b: number): Colour => {
  const max = Math.max(r, g, b) / 255;
  const min = Math.min(r, g, b) / 255;
  const lightness = (max + min) / 2;
  const saturation = max === min ? 0 : (max - min) / (1 - Math.abs(2 * lightness - 1));
  if (lightness < 0.12) return 'black';
  if (lightness > 0.9 && saturation < 0.3) return 'white';
  if (saturation < 0.15) return 'grey';
  const span = max - min;
  const hue =
    max === r / 255 ? (60 * ((g - b) / 255 / span) + 360) % 360 : max === g / 255 ? 60 * ((b - r) / 255 / span) + 120 : 60 * ((r - g) / 255 / span) + 240;
  if ((hue < 40 || hue >= 345) && lightness < 0.35) return 'brown';
  if (hue < 15 || hue >= 345) return 'red';
  if (hue < 40) return 'orange';
  if (hue < 68) return 'yellow';
  if (hue < 160) return 'green';
  if (hue < 195) return 'teal';
  if (hue < 255) return 'blue';
  if (hue < 290) return 'purple';
  return 'pink';
};

const percent = (part: number, whole: number) => Math.round((100 * part) / whole);

/**
 * A deterministic description of an image: its size and orientation, its dominant colours (each
 * pixel of a 64-pixel thumbnail named from a 12-colour palette by hue, saturation and lightness;
 * the commonest first, the others above 5 % after "with"), how bright it is (mean luminance: dark
 * below 0.3, bright above 0.6) and its contrast (standard deviation of luminance: flat below 0.08,
 * high above 0.25), and how much of it is transparent.
 */
export const describeImage = async (sharp: Sharp, bytes: Uint8Array): Promise<string> => {
  const { width, height } = await imageSize(sharp, bytes);
  const thumbnail = await rgba(decode(sharp, bytes).resize(64, 64, { fit: 'inside' }));
  const counts = new Map<Colour, number>();
  let opaque = 0;
  let sum = 0;
  let squares = 0;
  const { data } = thumbnail;
  const total = data.length / 4;
  for (let p = 0; p < total; p++) {
    if (data[4 * p + 3]! < 128) continue;
    const [r, g, b] = [data[4 * p]!, data[4 * p + 1]!, data[4 * p + 2]!];
    const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    opaque++;
    sum += luminance;
    squares += luminance * luminance;
    const name = colourName(r, g, b);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const orientation = width === height ? 'square' : width > height ? 'landscape' : 'portrait';
  const head = `A ${width}×${height} ${orientation} image`;
  if (opaque === 0) return `${head}, entirely transparent.`;
  const ranked = COLOURS.filter((name) => counts.has(name)).sort((a, b) => counts.get(b)! - counts.get(a)!);
  const [main, ...rest] = ranked;
  const others = rest.filter((name) => percent(counts.get(name)!, opaque) >= 5).slice(0, 3);
  const mean = sum / opaque;
  const deviation = Math.sqrt(Math.max(0, squares / opaque - mean * mean));
  const brightness = mean < 0.3 ? 'dark' : mean > 0.6 ? 'bright' : 'moderately lit';
  const contrast = deviation < 0.08 ? 'flat contrast' : deviation > 0.25 ? 'high contrast' : 'moderate contrast';
  const transparent = total - opaque;
  return [
    `${head}, mostly ${main!} (${percent(counts.get(main!)!, opaque)}%)`,
    others.length > 0 ? ` with ${others.join(others.length > 2 ? ', ' : ' and ').replace(/, ([^,]*)$/, ' and $1')}` : '',
    `; ${brightness}, ${contrast}`,
    percent(transparent, total) >= 5 ? `, ${percent(transparent, total)}% transparent` : '',
    '.',
  ].join('');
};
