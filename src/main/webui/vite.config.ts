import { defineConfig } from 'vite';

// base './' + <base href="/"> in index.html: asset and API URLs are relative to the base element,
// so a reverse proxy serving Berth under a sub-path only has to rewrite that one tag.
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', sourcemap: true, assetsInlineLimit: 0 },
  server: { proxy: { '/api': 'http://localhost:8080', '/q': 'http://localhost:8080', '/ws': { target: 'ws://localhost:8080', ws: true } } },
});
