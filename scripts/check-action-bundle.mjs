// CI: rebuilds the Action's bundle into a temporary file and compares it with the committed
// action/dist/index.js, so a change to action/ or src/ cannot ship with a stale bundle.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ACTION_BUNDLE, buildAction } from "./build-action.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = await mkdtemp(join(tmpdir(), "shipshape-action-bundle-"));
try {
  const fresh = await readFile(await buildAction(join(dir, "index.js")));
  const committed = await readFile(join(root, ACTION_BUNDLE)).catch(() => undefined);
  if (!committed || !fresh.equals(committed)) {
    process.stderr.write(`${ACTION_BUNDLE} is stale: run npm run build:action and commit it\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${ACTION_BUNDLE} is up to date\n`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
