/**
 * Depth (issue 11, corpus case nesting/json-manifest-20000-arrays-deep). JSON.parse takes any
 * depth, Shipshape's walks after it (secret collection, redaction, policies, canonical JSON,
 * the diff) recurse: 20,000 nested arrays ended the run with a stack overflow (exit 3, no
 * report). Data nested beyond MAX_NESTING_DEPTH is refused where it is parsed, as an
 * `input/yaml-invalid` error on the file and line, and the rest of the report stays.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { jsonTooDeepAt, MAX_NESTING_DEPTH, nestsDeeperThan } from "../../src/yaml/depth.js";
import { parseYamlStream } from "../../src/yaml/parse.js";
import { readLikeKubectl } from "../../src/yaml/kubectl-reading.js";
import { addedObjects, checkTrees, CONFIG_MAP, introducedErrors } from "./manifests-kubectl.js";

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const deepJson = (name: string, depth: number) =>
  `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":{"a":"b"},"x":${nested(depth)}}\n`;

describe("a manifest nested deeper than Shipshape walks", () => {
  let work: string;
  let report: Report;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "shipshape-nesting-"));
    const head = {
      "deploy/ok/cm.yaml": CONFIG_MAP("ok"),
      "deploy/json/deep.json": `\n${deepJson("deep", 20_000)}`,
      "deploy/json-edge/edge.json": deepJson("edge", MAX_NESTING_DEPTH - 1),
      "deploy/yaml/deep.yaml": `${CONFIG_MAP("before")}---\n${CONFIG_MAP("deep-yaml").replace("data:", `x: ${nested(1000)}\ndata:`)}`,
    };
    ({ report } = await checkTrees(work, { "README.md": "base\n" }, head));
  }, 120_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("reports the too-deep JSON file as invalid input on its line, and the rest of the change", () => {
    expect(introducedErrors(report, "deploy/json")).toEqual([{ ruleId: "input/yaml-invalid", file: "deploy/json/deep.json", line: 2 }]);
    expect(addedObjects(report, ["deploy/ok"])).toEqual(["configmap/ok"]);
  });

  it("reads JSON nested just within the bound", () => {
    // `x` is no field of a ConfigMap; nothing else is said about the file.
    expect(report.findings.filter((f) => f.target === "deploy/json-edge").map((f) => f.ruleId)).toEqual(["schema/unknown-field"]);
    expect(addedObjects(report, ["deploy/json-edge"])).toHaveLength(1);
  });

  it("refuses a YAML document nested deeper than the parser's recursion with the same message", () => {
    const errors = report.findings.filter((f) => f.target === "deploy/yaml" && f.ruleId === "input/yaml-invalid");
    expect(errors[0]).toMatchObject({ file: "deploy/yaml/deep.yaml", line: 10 });
    expect(errors[0]!.message).toMatch(/deep\.yaml:10: invalid YAML: nested more than 256 levels deep/);
  });
});

describe("the depth bound", () => {
  it("counts a chain of YAML aliases as the depth every walk would follow", () => {
    const levels = 100;
    let text = `a0: &a0 ${nested(3)}\n`;
    for (let i = 1; i <= levels; i++) text += `a${i}: &a${i} [[[*a${i - 1}]]]\n`;
    const parsed = parseYamlStream(text);
    expect(parsed.docs).toEqual([]);
    expect(parsed.errors[0]?.message).toMatch(/nested more than 256 levels/);
  });

  it("is checked by the fast path and the careful parser alike", () => {
    const deep = readLikeKubectl(`a: ${nested(MAX_NESTING_DEPTH + 5)}\n`);
    expect(deep.docs).toEqual([]);
    expect(deep.problems).toEqual([{ kind: "invalid", message: expect.stringMatching(/^invalid YAML: nested more than/), line: 1 }]);
    expect(readLikeKubectl(`a: ${nested(MAX_NESTING_DEPTH - 1)}\n`).problems).toEqual([]);
  });

  it("skips brackets inside JSON strings", () => {
    expect(jsonTooDeepAt(`{"a":"${"[".repeat(1000)}\\"["}`)).toBeUndefined();
    expect(jsonTooDeepAt(`{"a":${nested(MAX_NESTING_DEPTH)}}`)).toBe("{\"a\":".length + MAX_NESTING_DEPTH - 1);
  });

  it("walks a wide value without recursion and a cycle as too deep", () => {
    expect(nestsDeeperThan(Array.from({ length: 100_000 }, () => ({ a: [1] })))).toBe(false);
    const loop: unknown[] = [];
    loop.push(loop);
    expect(nestsDeeperThan(loop)).toBe(true);
  });
});
