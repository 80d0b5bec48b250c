import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fastDocument } from "../../src/yaml/fast-stream.js";
import { readLikeKubectl } from "../../src/yaml/kubectl-reading.js";
import { splitLikeKubectl } from "../../src/yaml/kubectl-split.js";
import { parseYamlStream } from "../../src/yaml/parse.js";
import { PROJECT_ROOT } from "../helpers/cli.js";

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

describe("the fast YAML path", () => {
  it("reads every YAML fixture exactly as the careful parser does, values and lines", () => {
    let fastCount = 0;
    for (const path of yamlFiles(join(PROJECT_ROOT, "fixtures"))) {
      const text = readFileSync(path, "utf8");
      const careful = parseYamlStream(text);
      const split = splitLikeKubectl(text);
      if (careful.errors.length > 0 || split.json) continue;
      const fast = split.pieces.map((p) => fastDocument(split.text.slice(p.start, p.end)));
      if (fast.some((d) => d === undefined)) continue;
      fastCount += 1;
      const read = readLikeKubectl(text);
      expect(read.problems, path).toEqual([]);
      expect(read.docs.map((d) => d.value), path).toEqual(careful.docs.map((d) => d.value));
      expect(read.docs.map((d) => d.line), path).toEqual(careful.docs.map((d) => d.line));
    }
    expect(fastCount).toBeGreaterThan(50);
  });

  it.each([
    ["aliases (alias bombs)", "a: &x [1]\nb: *x\n"],
    ["tags", "a: !!binary aGk=\n"],
    ["directives", "%YAML 1.2\na: 1\n"],
    ["binary integers, read differently by the two libraries", "a: 0b101\n"],
    ["duplicate keys", "a: 1\na: 2\n"],
    ["a second document kubectl does not see", "a: 1\n...\nb: 2\n"],
    ["unrendered templates (complex keys)", "replicas: {{ .Values.n }}\n"],
    ["explicit keys", "? a\n: 1\n"],
    ["malformed YAML", "a: [1, 2\n"],
  ])("leaves %s to the careful parser", (_name, text) => {
    expect(fastDocument(text)).toBeUndefined();
  });

  it("keeps quoted stars, ampersands and shell operators on the fast path", () => {
    const text = 'rules:\n  - verbs: ["*"]\n    args: ["sh", "-c", "a && b"]\nschedule: "*/5 * * * *"\n';
    expect(fastDocument(text)?.value).toEqual({ rules: [{ verbs: ["*"], args: ["sh", "-c", "a && b"] }], schedule: "*/5 * * * *" });
  });

  it("finds document starts after comments and markers", () => {
    const text = "# header\n---\n# about a\napiVersion: v1\n...\n---\n\nkind: B\n---\n";
    expect(readLikeKubectl(text).docs.map((d) => [d.line, d.value])).toEqual([
      [4, { apiVersion: "v1" }],
      [8, { kind: "B" }],
    ]);
  });
});
