// Builds the console into src/console/assets (committed), served by kagg at /console/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  build: {
    outDir: fileURLToPath(new URL('../src/console/assets', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'static',
    // No inline anything: the CSP forbids it, so small files stay files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
