/*
 * The scanner app's icons, generated from one SVG by @vite-pwa/assets-generator (`npm run icons`):
 * 64, 192 and 512 px icons, a separate maskable icon (with the safe-zone padding), the Apple touch
 * icon and a favicon, written next to the SVG in public/ and committed.
 */
import { defineConfig, minimal2023Preset } from '@vite-pwa/assets-generator/config';

export const pwaAssetsConfig = defineConfig({
  headLinkOptions: { preset: '2023' },
  preset: {
    ...minimal2023Preset,
    // The padding around a maskable or Apple icon takes the icon's own colour, not white.
    maskable: { ...minimal2023Preset.maskable, resizeOptions: { background: '#1f4e8c' } },
    apple: { ...minimal2023Preset.apple, resizeOptions: { background: '#1f4e8c' } },
  },
  images: ['public/icon.svg'],
});

// The generator's CLI reads a default export; this is the one place the project needs one.
// eslint-disable-next-line no-restricted-syntax
export default pwaAssetsConfig;
