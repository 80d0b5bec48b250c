// Bundles the GitHub Action into ONE committed ESM file, action/dist/index.js, which
// action.yml runs on node24. Deterministic and unminified so the committed diff is reviewable;
// scripts/check-action-bundle.mjs fails CI when the committed file is stale. Data files are not
// inlined: the bundle finds the checkout it runs from (src/package-root.ts) and reads policies/,
// schemas/kubernetes/ and schemas/controllers/ there at run time, like the CLI.
//
//   node scripts/build-action.mjs [OUTFILE]   (default: action/dist/index.js)
import { build } from "esbuild";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ACTION_BUNDLE = "action/dist/index.js";

// Same banner as scripts/build.mjs: bundled CommonJS dependencies call require().
// @actions/core is ESM and needs nothing more.
const banner = { js: 'import { createRequire as __shipshapeCreateRequire } from "node:module"; const require = __shipshapeCreateRequire(import.meta.url);' };

/**
 * @actions/core imports @actions/http-client for `getIDToken` (OIDC), and the client imports
 * undici (770 KB, a third of the bundle) only for `getAgentDispatcher`, a fetch dispatcher
 * behind a proxy. Shipshape calls neither (its GitHub client is @octokit/rest), so undici is
 * replaced by a stub that says so if it is ever reached.
 */
const UNDICI_STUB = `export class ProxyAgent { constructor() { throw new Error("undici is not bundled in the Shipshape Action: @actions/http-client's getAgentDispatcher is not available"); } }`;
const withoutUndici = {
  name: "without-undici",
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, (args) => (args.importer.includes("@actions/http-client") ? { path: "undici", namespace: "shipshape-stub" } : undefined));
    build.onLoad({ filter: /.*/, namespace: "shipshape-stub" }, () => ({ contents: UNDICI_STUB, loader: "js" }));
  },
};

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
    plugins: [withoutUndici],
    logLevel: "warning",
  });
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildAction(process.argv[2] ? resolve(process.argv[2]) : undefined);
  process.stdout.write(`built ${relative(process.cwd(), out) || out}\n`);
}
