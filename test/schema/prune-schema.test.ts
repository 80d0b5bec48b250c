import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createAjv } from "../../src/schema/kubernetes/ajv-instance.js";
import { convertCrdSchema } from "../../src/schema/kubernetes/crd-schema.js";
import { finalizeSchema } from "../../src/schema/kubernetes/finalize-schema.js";
import { pruneSchema, shapeOf } from "../../src/schema/kubernetes/prune-schema.js";
import type { JsonSchema } from "../../src/schema/kubernetes/types.js";

const crd = parse(readFileSync(new URL("../../fixtures/schema/crds/widgets.example.com.yaml", import.meta.url), "utf8"));
const raw = crd.spec.versions[0].schema.openAPIV3Schema;
const whole = convertCrdSchema(raw);

/** Widgets that exercise every part of the schema, valid and not. */
const widgets: unknown[] = [
  { spec: { size: "small", port: 80 } },
  { spec: { size: "huge", port: "http", replicas: 30, slug: "Bad Slug" } },
  { spec: { size: "small", port: 80, extra: true, backend: { service: {} } } },
  { spec: { size: "small", port: 80, backend: { service: { name: 1, port: { number: "x" } } }, config: { any: [1, { deep: true }] } } },
  { spec: { size: "small", port: 80, template: { apiVersion: "v1", kind: "Pod", metadata: {}, spec: { anything: 1 } } } },
  { spec: "not an object" },
  { spec: { size: ["small"], port: null, __proto__: { polluted: true } } },
  {},
];

function errors(schema: JsonSchema, data: unknown, strict: boolean): string[] {
  const validate = createAjv().compile(finalizeSchema(schema, strict));
  validate(data);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`).sort();
}

describe("a CRD schema pruned to what a resource holds", () => {
  for (const strict of [true, false]) {
    it(`gives exactly the errors of the whole schema (${strict ? "strict" : "loose"})`, () => {
      for (const data of widgets) expect(errors(pruneSchema(whole, shapeOf(data)), data, strict)).toEqual(errors(whole, data, strict));
    });
  }

  it("keeps every declared field name but drops the sub-schemas of fields the resource does not set", () => {
    const pruned = pruneSchema(whole, shapeOf({ spec: { size: "small" } })) as { properties: { spec: { properties: Record<string, object> } } };
    const spec = pruned.properties.spec.properties;
    expect(Object.keys(spec).sort()).toEqual(Object.keys((whole as typeof pruned).properties.spec.properties).sort());
    expect(spec.backend).toEqual({});
    expect(spec.size).not.toEqual({});
  });

  it("reads a field named __proto__ as a field", () => {
    const shape = shapeOf(JSON.parse('{"spec": {"__proto__": {"x": 1}}}'));
    expect(Object.keys((shape as { f: Record<string, { f: Record<string, unknown> }> }).f.spec!.f)).toEqual(["__proto__"]);
  });
});
