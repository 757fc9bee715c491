/** Vite build of the operator UI: static files under web/dist, served by the Fastify server. */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // the CSP is `default-src 'self'`: nothing may be inlined into index.html
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // the investigation page's lazy chunk carries cytoscape (~430 kB); the entry chunk is ~220 kB
    chunkSizeWarningLimit: 500,
  },
  server: {
    // `npm run dev -w web` beside `nml serve` on its default port
    proxy: { '/api': { target: 'http://127.0.0.1:8823', ws: true } },
  },
});
