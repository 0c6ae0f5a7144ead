import { namespaceOf } from './catalog.js';
import { mulberry32 } from './random.js';

/**
 * The models `modelSearch` searches: the models the docs, the reference and the guides use, and
 * some four hundred more generated from a fixed seed (plausible names, architectures, tags and
 * dates), so that filters and paging have something of a realistic size to work on. Built on first
 * use and shared by every simulator of the process (importing computes nothing). The account's own
 * models (uploaded or trained) are added per simulator (`account.ts`).
 */

/** One model as modelSearch answers it (protocol §4.17; every result has `tags` and `private`, §10.3). */
export interface CatalogueModel {
  readonly air: string;
  readonly name: string;
  readonly version: string;
  readonly category: 'checkpoint' | 'lora' | 'lycoris' | 'controlnet' | 'vae' | 'embeddings';
  readonly architecture: string;
  readonly type?: string;
  readonly conditioning?: string;
  readonly tags: readonly string[];
  readonly private: boolean;
  readonly capabilities: readonly string[];
  readonly source: 'featured' | 'community';
  readonly isFavorite: boolean;
  readonly provider: string;
  readonly shortDescription: string;
  readonly comment: string;
  readonly positiveTriggerWords: string;
  readonly negativeTriggerWords: string;
  readonly defaultWidth?: number;
  readonly defaultHeight?: number;
  readonly defaultSteps?: number;
  readonly defaultScheduler?: string;
  readonly defaultCFG?: number;
  readonly defaultStrength?: number;
  readonly defaultWeight?: number;
  readonly addedUnixTimestamp: number;
  readonly updatedDateUnixTimestamp: number;
  /** Downloads: what `popularity` sorts by. */
  readonly popularity: number;
}

const ARCHITECTURES = ['flux1s', 'flux1d', 'fluxkontextdev', 'hidreamdev', 'hidreamfull', 'qwen_image', 'sd1x', 'sdhyper', 'sd1xlcm', 'sdxl', 'sdxllcm', 'sdxldistilled', 'sdxlhyper', 'sdxllightning', 'sdxlturbo', 'sd3', 'pony', 'illustrious'];
const CONDITIONINGS = ['blur', 'canny', 'depth', 'gray', 'hed', 'inpaint', 'inpaintdepth', 'lineart', 'lowquality', 'normal', 'openmlsd', 'openpose', 'outfit', 'pix2pix', 'qrcode', 'scrible', 'seg', 'shuffle', 'sketch', 'softedge', 'tile'];
const TAGS = ['photorealistic', 'anime', 'portrait', 'landscape', 'fantasy', 'sci-fi', 'architecture', 'product', 'cinematic', 'illustration', 'watercolor', 'pixel art', '3d render', 'character', 'style', 'concept art', 'vintage', 'nature', 'food', 'fashion'];
const ADJECTIVES = ['Dream', 'Real', 'Epic', 'Soft', 'Neon', 'Crystal', 'Velvet', 'Golden', 'Silent', 'Wild', 'Lucid', 'Mystic', 'Urban', 'Pastel', 'Iron', 'Cosmic', 'Paper', 'Amber', 'Polar', 'Rustic'];
const NOUNS = ['Vision', 'Canvas', 'Forge', 'Studio', 'Realm', 'Mix', 'Diffusion', 'Brush', 'Lens', 'Atlas', 'Engine', 'Spark', 'Garden', 'Frame', 'Palette', 'Harbor', 'Echo', 'Bloom', 'Signal', 'Vault'];
const SCHEDULERS = ['Euler', 'Euler a', 'DPM++ 2M Karras', 'DPM++ SDE Karras', 'DDIM', 'UniPC'];
const CATEGORIES: readonly CatalogueModel['category'][] = ['checkpoint', 'checkpoint', 'checkpoint', 'lora', 'lora', 'lora', 'lora', 'lycoris', 'controlnet', 'vae', 'embeddings'];

/** 2024-01-01 and a span of two years, in Unix seconds: when the generated models were added. */
const EPOCH = 1_704_067_200;
const SPAN = 2 * 365 * 86_400;

const base = (model: Omit<CatalogueModel, 'private' | 'isFavorite' | 'comment' | 'positiveTriggerWords' | 'negativeTriggerWords' | 'shortDescription' | 'provider'> & Partial<CatalogueModel>): CatalogueModel => ({
  private: false,
  isFavorite: false,
  comment: '',
  positiveTriggerWords: '',
  negativeTriggerWords: '',
  shortDescription: model.name,
  provider: namespaceOf(model.air),
  ...model,
});

/** The models named by the docs, the reference and the guides (a function: importing computes nothing). */
const named = (): CatalogueModel[] => [
  base({ air: 'runware:100@1', name: 'FLUX.1 [schnell]', version: '1', category: 'checkpoint', architecture: 'flux1s', type: 'base', tags: ['photorealistic', 'fast'], capabilities: ['text-to-image'], source: 'featured', defaultWidth: 1024, defaultHeight: 1024, defaultSteps: 4, defaultScheduler: 'Euler', defaultCFG: 1, addedUnixTimestamp: EPOCH + 86_400, updatedDateUnixTimestamp: EPOCH + 90 * 86_400, popularity: 9_900_000 }),
  base({ air: 'runware:101@1', name: 'FLUX.1 [dev]', version: '1', category: 'checkpoint', architecture: 'flux1d', type: 'base', tags: ['photorealistic', 'illustration'], capabilities: ['text-to-image', 'image-to-image', 'inpainting'], source: 'featured', defaultWidth: 1024, defaultHeight: 1024, defaultSteps: 28, defaultScheduler: 'Euler', defaultCFG: 3.5, addedUnixTimestamp: EPOCH + 2 * 86_400, updatedDateUnixTimestamp: EPOCH + 120 * 86_400, popularity: 9_800_000 }),
  base({ air: 'civitai:139562@297320', name: 'RealVisXL V4.0', version: 'V4.0', category: 'checkpoint', architecture: 'sdxl', type: 'base', tags: ['photorealistic', 'portrait'], capabilities: ['text-to-image', 'image-to-image', 'inpainting'], source: 'community', defaultWidth: 1024, defaultHeight: 1024, defaultSteps: 25, defaultScheduler: 'DPM++ 2M Karras', defaultCFG: 7, addedUnixTimestamp: EPOCH + 30 * 86_400, updatedDateUnixTimestamp: EPOCH + 60 * 86_400, popularity: 4_200_000 }),
  base({ air: 'xai:grok-imagine@image-quality', name: 'Grok Imagine (quality)', version: 'image-quality', category: 'checkpoint', architecture: 'grok_imagine', type: 'base', tags: ['photorealistic'], capabilities: ['text-to-image'], source: 'featured', addedUnixTimestamp: EPOCH + 600 * 86_400, updatedDateUnixTimestamp: EPOCH + 610 * 86_400, popularity: 1_500_000 }),
  base({ air: 'runware:2@1', name: 'My LoRA (upload example)', version: '1', category: 'lora', architecture: 'flux1d', tags: ['style'], capabilities: ['text-to-image'], source: 'community', defaultWeight: 1, positiveTriggerWords: 'mystyle', addedUnixTimestamp: EPOCH + 200 * 86_400, updatedDateUnixTimestamp: EPOCH + 200 * 86_400, popularity: 1200 }),
  base({ air: 'runware:25@1', name: 'ControlNet Canny (FLUX)', version: '1', category: 'controlnet', architecture: 'flux1d', conditioning: 'canny', tags: ['controlnet'], capabilities: ['controlnet'], source: 'featured', addedUnixTimestamp: EPOCH + 40 * 86_400, updatedDateUnixTimestamp: EPOCH + 40 * 86_400, popularity: 800_000 }),
  base({ air: 'runware:20@1', name: 'ControlNet Depth (SDXL)', version: '1', category: 'controlnet', architecture: 'sdxl', conditioning: 'depth', tags: ['controlnet'], capabilities: ['controlnet'], source: 'featured', addedUnixTimestamp: EPOCH + 45 * 86_400, updatedDateUnixTimestamp: EPOCH + 45 * 86_400, popularity: 650_000 }),
  base({ air: 'runware:70@1', name: 'SDXL VAE', version: '1', category: 'vae', architecture: 'sdxl', tags: ['vae'], capabilities: ['text-to-image'], source: 'featured', addedUnixTimestamp: EPOCH + 10 * 86_400, updatedDateUnixTimestamp: EPOCH + 10 * 86_400, popularity: 300_000 }),
];

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/** The generated models: the same four hundred on every machine (mulberry32 from a fixed seed). */
const generated = (count: number): CatalogueModel[] => {
  const random = mulberry32(0x5eed_0c47);
  return Array.from({ length: count }, (_, i) => {
    const category = pick(random, CATEGORIES);
    const architecture = pick(random, ARCHITECTURES);
    const name = `${pick(random, ADJECTIVES)} ${pick(random, NOUNS)}${random() < 0.5 ? ` ${pick(random, ['XL', 'Pro', 'Lite', 'Turbo', 'Plus'])}` : ''}`;
    const version = `v${1 + Math.floor(random() * 5)}.${Math.floor(random() * 10)}`;
    const tags = [...new Set([pick(random, TAGS), pick(random, TAGS), ...(random() < 0.5 ? [pick(random, TAGS)] : [])])];
    const added = EPOCH + Math.floor(random() * SPAN);
    const checkpoint = category === 'checkpoint';
    return base({
      air: `civitai:${100_000 + i * 37}@${200_000 + i * 53}`,
      name,
      version,
      category,
      architecture,
      ...(checkpoint ? { type: pick(random, ['base', 'base', 'base', 'inpainting', 'refiner']) } : {}),
      ...(category === 'controlnet' ? { conditioning: pick(random, CONDITIONINGS) } : {}),
      ...(category === 'embeddings' ? { type: pick(random, ['positive', 'negative']) } : {}),
      tags,
      capabilities: category === 'controlnet' ? ['controlnet'] : checkpoint ? ['text-to-image', ...(random() < 0.6 ? ['image-to-image'] : []), ...(random() < 0.3 ? ['inpainting'] : [])] : ['text-to-image'],
      source: random() < 0.15 ? 'featured' : 'community',
      positiveTriggerWords: category === 'lora' || category === 'lycoris' ? name.toLowerCase().replace(/\s+/g, '_') : '',
      ...(checkpoint ? { defaultWidth: architecture.startsWith('sd1') ? 512 : 1024, defaultHeight: architecture.startsWith('sd1') ? 512 : 1024, defaultSteps: 20 + Math.floor(random() * 20), defaultScheduler: pick(random, SCHEDULERS), defaultCFG: Math.round((3 + random() * 6) * 10) / 10, defaultStrength: 0.8 } : {}),
      ...(category === 'lora' || category === 'lycoris' ? { defaultWeight: Math.round((0.6 + random() * 0.6) * 10) / 10 } : {}),
      addedUnixTimestamp: added,
      updatedDateUnixTimestamp: added + Math.floor(random() * 90 * 86_400),
      popularity: Math.floor(random() ** 3 * 2_000_000),
    });
  });
};

let built: readonly CatalogueModel[] | undefined;

/** Every public model: the named ones, then the generated ones. */
export const publicModels = (): readonly CatalogueModel[] => (built ??= [...named(), ...generated(400)]);
