import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [preact()],
  // The user pool SDK reads `global`, which browsers call globalThis.
  define: { global: "globalThis" },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, target: "es2022" },
});
