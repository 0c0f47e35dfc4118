import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// The API (`scrm serve`) listens on 8787; SCRM_API_URL points dev/preview at another one.
const api = process.env.SCRM_API_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  plugins: [sveltekit()],
  server: { proxy: { '/api': { target: api, changeOrigin: true } } },
  preview: { proxy: { '/api': { target: api, changeOrigin: true } } },
});
