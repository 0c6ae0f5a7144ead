import { randomFor } from './prng.js';

/**
 * A small generative "landscape": a sky gradient, a sun, soft glows and layered hills, all derived
 * from prompt + seed. Positions are fractions of the frame so one scene renders at any size, and a
 * phase in [0, 1) animates it for video.
 */
export interface Scene {
  readonly sky: readonly [string, string];
  readonly sun: Glow;
  readonly glows: readonly Glow[];
  readonly hills: readonly Hill[];
}

interface Glow {
  readonly x: number;
  readonly y: number;
  readonly radius: number;
  readonly color: string;
  readonly opacity: number;
  /** How far the glow drifts over one animation loop, as a fraction of the width. */
  readonly drift: number;
}

interface Hill {
  readonly base: number;
  readonly amplitude: number;
  readonly waves: number;
  readonly phase: number;
  readonly color: string;
  /** Parallax: nearer hills scroll more per loop. */
  readonly speed: number;
}

const hsl = (hue: number, saturation: number, lightness: number): string =>
  `hsl(${Math.round(((hue % 360) + 360) % 360)},${Math.round(saturation)}%,${Math.round(lightness)}%)`;

/** Derives a scene from a prompt and a seed; pure and deterministic. */
export const sceneFor = (prompt: string, seed: number): Scene => {
  const random = randomFor(prompt, seed);
  const between = (low: number, high: number) => low + random() * (high - low);
  const hue = random() * 360;
  // An analogous or complementary accent keeps palettes harmonious rather than random noise.
  const accent = hue + (random() < 0.5 ? between(25, 60) : between(150, 210));
  const night = random() < 0.3;

  const sky: [string, string] = night
    ? [hsl(hue + 200, 45, 8), hsl(hue + 230, 50, 28)]
    : [hsl(hue, between(45, 70), between(25, 40)), hsl(accent, between(60, 85), between(62, 78))];
  const sun: Glow = {
    x: between(0.2, 0.8),
    y: between(0.18, 0.45),
    radius: between(0.06, 0.13),
    color: night ? hsl(accent, 30, 92) : hsl(accent + 20, 95, 80),
    opacity: 1,
    drift: between(-0.03, 0.03),
  };
  const glows = Array.from({ length: 3 + Math.floor(random() * 4) }, (): Glow => ({
    x: random(),
    y: between(0, 0.6),
    radius: between(0.15, 0.45),
    color: hsl(random() < 0.5 ? hue : accent, between(60, 95), between(55, 80)),
    opacity: between(0.25, 0.6),
    drift: between(-0.12, 0.12),
  }));
  const layers = 3 + Math.floor(random() * 2);
  const hills = Array.from({ length: layers }, (_, i): Hill => ({
    base: 0.55 + (i / layers) * 0.38,
    amplitude: between(0.03, 0.09),
    waves: between(1, 3.5),
    phase: random() * Math.PI * 2,
    color: hsl(hue + 180 + i * 12, between(25, 50), (night ? 22 : 45) - i * (night ? 4 : 9)),
    speed: 0.15 + i * 0.2,
  }));
  return { sky, sun, glows, hills };
};

const round = (value: number): string => value.toFixed(1);

const hillPath = (hill: Hill, width: number, height: number, phase: number): string => {
  const steps = 48;
  const shift = hill.phase + phase * Math.PI * 2 * hill.speed;
  const points: string[] = [];
  for (let i = 0; i <= steps; i++) {
    const u = i / steps;
    const wave = Math.sin(u * Math.PI * 2 * hill.waves + shift) + 0.35 * Math.sin(u * Math.PI * 7.3 + shift * 1.7);
    points.push(`${round(u * width)},${round((hill.base - hill.amplitude * wave) * height)}`);
  }
  return `M0,${height} L${points.join(' L')} L${width},${height} Z`;
};

const glowCircle = (glow: Glow, id: string, width: number, height: number, phase: number): string => {
  const x = (glow.x + glow.drift * Math.sin(phase * Math.PI * 2)) * width;
  const radius = glow.radius * Math.min(width, height);
  return `<circle cx="${round(x)}" cy="${round(glow.y * height)}" r="${round(radius)}" fill="url(#${id})"/>`;
};

const glowGradient = (glow: Glow, id: string, core: number): string =>
  `<radialGradient id="${id}"><stop offset="0" stop-color="${glow.color}" stop-opacity="${glow.opacity}"/>` +
  `<stop offset="${core}" stop-color="${glow.color}" stop-opacity="${glow.opacity}"/>` +
  `<stop offset="1" stop-color="${glow.color}" stop-opacity="0"/></radialGradient>`;

/** Renders a scene as an SVG document of exactly `width` × `height` pixels at animation `phase`. */
export const sceneSvg = (scene: Scene, width: number, height: number, phase = 0): string => {
  const gradients = scene.glows.map((glow, i) => glowGradient(glow, `g${i}`, 0));
  const sunHalo = { ...scene.sun, radius: scene.sun.radius * 2.6, opacity: 0.45 };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    '<defs>',
    `<linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${scene.sky[0]}"/>`,
    `<stop offset="1" stop-color="${scene.sky[1]}"/></linearGradient>`,
    ...gradients,
    glowGradient(sunHalo, 'halo', 0.2),
    glowGradient(scene.sun, 'sun', 0.85),
    '</defs>',
    `<rect width="${width}" height="${height}" fill="url(#sky)"/>`,
    ...scene.glows.map((glow, i) => glowCircle(glow, `g${i}`, width, height, phase)),
    glowCircle(sunHalo, 'halo', width, height, phase),
    glowCircle(scene.sun, 'sun', width, height, phase),
    ...scene.hills.map((hill) => `<path d="${hillPath(hill, width, height, phase)}" fill="${hill.color}"/>`),
    '</svg>',
  ].join('');
};
