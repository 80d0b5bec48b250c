/**
 * An alias inside its own anchor (`metadata: &m {annotations: {self: *m}}`) made a resource that
 * contains itself: every later walk recursed until the stack ran out, and the whole run ended as
 * an internal error (exit 3) instead of a finding. go-yaml (kubectl) refuses such a document too.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { parseYamlStream } from "../../src/yaml/parse.js";
import { runCli } from "../helpers/cli.js";

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-aliases-"));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("an alias inside its own anchor", () => {
  it("is an invalid-YAML error on its line, not a crash", async () => {
    await mkdir(join(work, "base/app"), { recursive: true });
    await mkdir(join(work, "head/app"), { recursive: true });
    await writeFile(join(work, "base/app/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    await writeFile(join(work, "head/app/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: x\n  annotations: {self: *m}\n");
    const run = await runCli(["check", "--base", join(work, "base"), "--head", join(work, "head"), "--format", "json"]);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.find((f) => f.ruleId === "input/yaml-invalid")).toMatchObject({
      severity: "error",
      file: "app/cm.yaml",
      line: 5,
      message: "app/cm.yaml:5: invalid YAML: alias *m is inside the value of its own anchor; the value would contain itself",
    });
  });

  it.each([
    ["a sequence", "a: &a [1, *a]\n"],
    ["a merge", "a: &a\n  b: {<<: *a}\n"],
    ["a nested mapping", "a: &a {b: {c: {d: *a}}}\n"],
  ])("is refused in %s", (_name, text) => {
    const parsed = parseYamlStream(text);
    expect(parsed.docs).toEqual([]);
    expect(parsed.errors[0]!.message).toContain("is inside the value of its own anchor");
  });

  it("is fine when it only repeats an earlier anchor", () => {
    expect(parseYamlStream("a: &a {x: 1}\nb: {c: *a}\n").docs[0]!.value).toEqual({ a: { x: 1 }, b: { c: { x: 1 } } });
  });
});
