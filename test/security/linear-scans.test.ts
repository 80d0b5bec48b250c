/**
 * Regular expressions run on repository text in Shipshape's own process must be linear: a
 * `^\s*` with the `m` flag rescans every blank line below each line start, so 100,000 blank
 * lines cost seconds (issue 11, corpus cases redos/blank-lines-*). Each test times the crafted
 * input and checks the test still recognises what it is there to recognise.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SchemaIssue } from "../../src/core/ports.js";
import { describeRule } from "../../src/present/sarif/rule-help.js";
import { createKubernetesValidator } from "../../src/schema/kubernetes/index.js";
import { fastDocument } from "../../src/yaml/fast-stream.js";
import { requestFor, resourcesFrom } from "../../fixtures/schema/resources.js";
import { memoryTree } from "../helpers/memory-tree.js";

const BLANK = "\n".repeat(100_000);

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

describe("the fast YAML path's prefilter", () => {
  it("reads a manifest with 100,000 blank lines in linear time", () => {
    const { value, ms } = timed(() => fastDocument(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n${BLANK}data:\n  a: c\n`));
    expect(value).toEqual({ value: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "s" }, data: { a: "c" } } });
    expect(ms).toBeLessThan(500);
  });

  it("still sends complex keys to the careful parser, after blank lines or indentation", () => {
    expect(fastDocument("? a\n: b\n")).toBeUndefined();
    expect(fastDocument(`a:\n${BLANK}  ? x\n  : y\n`)).toBeUndefined();
    expect(fastDocument("a:\n \t? x\n  : y\n")).toBeUndefined();
    expect(fastDocument("a: b?\n")).toEqual({ value: { a: "b?" } });
  });
});

describe("the CRD scan's prefilter", () => {
  const CRD_TEXT = readFileSync(new URL("../../fixtures/schema/crds/widgets.example.com.yaml", import.meta.url), "utf8");
  const widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: huge\n  port: 80\n";
  const brief = (issues: SchemaIssue[]) => issues.map((i) => [i.ruleId, i.path]);
  const validator = () => createKubernetesValidator({ strict: true, missingSchema: "info", crdGlobs: [] });

  it("passes over a YAML file of 100,000 blank lines quickly and still finds the CRD", async () => {
    const tree = memoryTree("head", {
      "notes/blank.yaml": `a: b\n${BLANK}c: d\n`,
      "notes/kinds.yaml": `kind:${BLANK}x: y\n`,
      // The value on the next line is still the kind, as YAML reads it.
      "charts/widgets/crds/widgets.yaml": CRD_TEXT.replace(/^kind: CustomResourceDefinition$/m, `kind:\n  CustomResourceDefinition  # next line`),
    });
    const start = performance.now();
    const issues = await validator().validate(requestFor(resourcesFrom(widget), { tree }));
    expect(performance.now() - start).toBeLessThan(1500);
    expect(brief(issues)).toEqual([["schema/enum", "spec.size"]]);
  });
});

describe("a policy message quoted in SARIF rule help", () => {
  it("joins its lines in linear time, however many spaces it holds", () => {
    const { value, ms } = timed(() => describeRule("policy/my-policy/rule", `Use  a\n   tag.\n\n${" ".repeat(100_000)}x`));
    expect(value.help.text).toContain("The policy says: Use  a tag. x");
    expect(ms).toBeLessThan(500);
  });
});
