// Bundles the GitHub Action into ONE committed ESM file, action/dist/index.js, which
// action.yml runs on node24. Deterministic and unminified so the committed diff is reviewable;
// scripts/check-action-bundle.mjs fails CI when the committed file is stale.
//
//   node scripts/build-action.mjs [OUTFILE]   (default: action/dist/index.js)
import { build } from "esbuild";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ACTION_BUNDLE = "action/dist/index.js";

// Same banner as scripts/build.mjs: bundled CommonJS dependencies call require().
const banner = { js: 'import { createRequire as __shipshapeCreateRequire } from "node:module"; const require = __shipshapeCreateRequire(import.meta.url);' };

export async function buildAction(outfile = join(root, ACTION_BUNDLE)) {
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, "action/src/index.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    sourcemap: false,
    minify: false,
    legalComments: "eof",
    charset: "utf8",
    banner,
    logLevel: "warning",
  });
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildAction(process.argv[2] ? join(process.cwd(), process.argv[2]) : undefined);
  process.stdout.write(`built ${relative(process.cwd(), out) || out}\n`);
}
