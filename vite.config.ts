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
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Only the matched modules: their dependencies (the Svelte runtime, the domain core) stay where the
          // automatic split puts them, so the entry chunk never statically imports this one.
          includeDependenciesRecursively: false,
          groups: [
            // The real-time core every live surface needs (socket.io, the connection, the outbox, apply) as one
            // chunk: fewer, larger chunks compress better and cost fewer round trips than the automatic split.
            {
              name: 'realtime',
              test: /node_modules[\\/](socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser|@socket\.io)[\\/]|client[\\/]lib[\\/](connection\.svelte|sessionSync|outbox|ids)\.ts|client[\\/]lib[\\/]components[\\/]ConnectionBanner|shared[\\/]domain[\\/](apply|state)\.ts/,
            },
          ],
        },
      },
    },
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
