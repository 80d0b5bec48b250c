/**
 * Names the repository itself spells out: every folder and file name of the base side, with and
 * without its extension (the base only, so a pull request cannot add names to lift scrubbing).
 * A value found under a credential-like name (`TS_KUBE_SECRET: tailscale`, the name of the Secret
 * a tool keeps its state in) that is also one of these is a name, not a password: the repository's
 * own layout prints it, and scrubbing it as a whole word would turn the target `apps/tailscale`
 * and every object of that name into "[redacted]". Such a value is treated like any value found
 * in the tree (`SecretSet.treatAsNames`: a plain word is left alone); the diff redactor still
 * hides it where a credential-named field holds it.
 */
import type { Tree } from "../ports.js";

export function repositoryNames(trees: readonly Tree[]): Set<string> {
  const out = new Set<string>();
  for (const tree of trees) {
    for (const file of tree.files()) {
      for (const part of file.split("/")) {
        out.add(part);
        const dot = part.indexOf(".");
        if (dot > 0) out.add(part.slice(0, dot));
      }
    }
  }
  return out;
}

