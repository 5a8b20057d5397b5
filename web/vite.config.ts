// Builds the chat page into web/dist (served by streamgate at /), and in development
// proxies the API to a running streamgate without compression or buffering, so SSE
// deltas reach the browser one by one (a compressing proxy delivers them all at the end).
import { fileURLToPath } from 'node:url';
import { defineConfig, type ProxyOptions } from 'vite';

const target = process.env.STREAMGATE_URL ?? 'http://127.0.0.1:8003';

const api: ProxyOptions = {
  target,
  headers: { 'accept-encoding': 'identity' },
  configure(proxy) {
    proxy.on('proxyReq', (req) => req.setHeader('accept-encoding', 'identity'));
    proxy.on('proxyRes', (res) => {
      // Tell any further hop not to buffer the stream either.
      res.headers['cache-control'] ??= 'no-cache';
      res.headers['x-accel-buffering'] = 'no';
    });
  },
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  // No asset inlined as a data: URL (KaTeX's small fonts would be): a strict CSP allows only 'self'.
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
  server: { host: '127.0.0.1', port: 5173, proxy: { '/v1': api, '/healthz': api } },
});
