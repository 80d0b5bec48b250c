/**
 * A Flux artifact (entries at the tarball's root, as `flux push artifact` makes them) is
 * untrusted: whoever can push to the registry writes it. Extracted without a top-level folder,
 * it is judged like a GitHub tarball: `..` and absolute paths are skipped with a finding, links
 * out of the folder are never created, nothing is written through a link, and the entry count
 * and sizes are bounded.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractTarball } from "../../src/repo/tarball.js";
import { gzip, rawTar } from "../helpers/tarball.js";
import { removeTestScratchDir, testScratchDir } from "../helpers/tool-options.js";

const LIMITS = { maxCompressedBytes: 1024 ** 2, maxEntries: 10, maxBytes: 1024 ** 2, maxEntryBytes: 1024 ** 2 };
const ROOT = { topFolder: false };
afterAll(() => removeTestScratchDir());

describe("Flux artifact extraction", () => {
  it("keeps root-level entries (./ or not) and skips escapes and links out", async () => {
    const work = mkdtempSync(join(testScratchDir(), "artifact-"));
    const into = join(work, "artifact");
    const { warnings } = await extractTarball(
      gzip(
        rawTar([
          { path: "./", type: "dir" },
          { path: "./apps/", type: "dir" },
          { path: "./apps/app.yaml", body: "kind: ConfigMap\n" },
          { path: "top.yaml", body: "kind: Secret\n" },
          { path: "../escape.yaml", body: "pwned" },
          { path: "/abs.yaml", body: "pwned" },
          { path: "apps/out", type: "symlink", linkpath: "../../.." },
          { path: "apps/passwd", type: "symlink", linkpath: "/etc/passwd" },
        ]),
      ),
      into,
      LIMITS,
      ROOT,
    );
    expect(readFileSync(join(into, "apps/app.yaml"), "utf8")).toBe("kind: ConfigMap\n");
    expect(readFileSync(join(into, "top.yaml"), "utf8")).toBe("kind: Secret\n");
    expect(existsSync(join(work, "escape.yaml"))).toBe(false);
    expect(existsSync(join(into, "apps/out"))).toBe(false);
    expect(existsSync(join(into, "apps/passwd"))).toBe(false);
    expect(warnings.length).toBeGreaterThanOrEqual(4);
  });

  it("refuses an artifact of more entries than allowed", async () => {
    const entries = Array.from({ length: 11 }, (_, i) => ({ path: `f${i}.yaml`, body: "a: 1\n" }));
    await expect(extractTarball(gzip(rawTar(entries)), join(mkdtempSync(join(testScratchDir(), "many-")), "a"), LIMITS, ROOT)).rejects.toThrow(/more than 10 entries/);
  });
});
