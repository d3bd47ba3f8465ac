import { defineConfig } from "vite";

export default defineConfig({
  root: "web",
  // maplibre-gl alone is ~1 MB minified: it is the map, loaded first; the panels are split off
  build: { outDir: "../dist", emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { "/api": "http://127.0.0.1:3000", "/tiles": "http://127.0.0.1:3000" } },
});
