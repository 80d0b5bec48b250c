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

// The App: probot and its dependencies stay in node_modules (pino loads worker files by path,
// which a bundle would break). dist/app.js is package.json exports["./app"].
await build({
  entryPoints: { app: "src/app/app.ts", server: "src/app/server.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  packages: "external",
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  logLevel: "warning",
});
