// Bundles the CLI into dist/cli.js with esbuild (TypeScript 7 has no compiler API to emit with).
import { build } from "esbuild";

const banner = { js: 'import { createRequire as __shipshapeCreateRequire } from "node:module"; const require = __shipshapeCreateRequire(import.meta.url);' };

await build({
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  banner,
  logLevel: "warning",
});
