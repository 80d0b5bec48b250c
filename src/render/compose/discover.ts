/**
 * Compose targets by convention: one per directory holding a main Compose file, or a `.env`
 * that sets COMPOSE_FILE (`docker compose up` there loads the files it names, whatever they
 * are called). Override files belong to their directory's target and are never targets
 * themselves.
 */
import { posix } from "node:path";
import type { TargetSpec } from "../../core/model/target.js";
import type { Tree } from "../../core/ports.js";
import { isMainFileName } from "./compose-files.js";
import { parseDotenv } from "./dotenv.js";

export async function discoverComposeProjects(tree: Tree): Promise<TargetSpec[]> {
  const dirs = new Set<string>();
  const dotenvs: string[] = [];
  for (const file of tree.files()) {
    const name = posix.basename(file);
    if (isMainFileName(name)) dirs.add(posix.dirname(file));
    else if (name === ".env") dotenvs.push(file);
  }
  for (const file of dotenvs) {
    if (dirs.has(posix.dirname(file))) continue;
    // An unreadable .env is reported by the target that reads it, if there is one.
    const text = await tree.read(file).catch(() => undefined);
    if (text !== undefined && parseDotenv(text).values.has("COMPOSE_FILE")) dirs.add(posix.dirname(file));
  }
  return [...dirs].sort().map((dir) => ({ id: dir, type: "compose", path: dir }));
}
