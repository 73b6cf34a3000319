/**
 * One Svelte SPA for every surface. `client/` is the root; `dist/client` is what the server serves.
 * Each surface is a dynamic `import()` in client/lib/routes.ts, so each one is its own chunk and a phone on the
 * attendee route never downloads the panel, the minutes editor or Yjs. `build.manifest` lets
 * scripts/check-bundle-size.ts compute each route's initial JavaScript.
 */
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/** Where `npm start` listens in development; override with DEV_API=http://host:port. */
const api = process.env.DEV_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: 'client',
  plugins: [svelte()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    manifest: true,
    // Cheap Android phones: modern enough for ES2020, no legacy bundle.
    target: 'es2020',
    sourcemap: false,
  },
  server: {
    // Shared code (domain core, i18n dictionaries) lives outside the root.
    fs: { allow: ['..'] },
    proxy: {
      '/api': { target: api, changeOrigin: true },
      '/healthz': { target: api, changeOrigin: true },
      '/socket.io': { target: api, ws: true, changeOrigin: true },
      '/yjs': { target: api, ws: true, changeOrigin: true },
    },
  },
});
