import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SchemaIssue, Tree } from "../../src/core/ports.js";
import { createKubernetesValidator, type KubernetesValidatorOptions } from "../../src/schema/kubernetes/index.js";
import { requestFor, resourcesFrom } from "../../fixtures/schema/resources.js";
import { memoryTree } from "../helpers/memory-tree.js";

const CRD_TEXT = readFileSync(new URL("../../fixtures/schema/crds/widgets.example.com.yaml", import.meta.url), "utf8");
const GADGET_SCHEMA = readFileSync(new URL("../../fixtures/schema/catalog/example.com/gadget_v1.json", import.meta.url), "utf8");
const crds = resourcesFrom(CRD_TEXT, "crds/widgets.example.com.yaml");

const brief = (issues: SchemaIssue[]) => issues.map((i) => [i.ruleId, i.path]);

function validator(options: Partial<KubernetesValidatorOptions> = {}) {
  return createKubernetesValidator({ strict: true, missingSchema: "info", crdGlobs: [], ...options });
}

const widget = (spec: string, extra = "") => `
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  namespace: shop
  creationTimestamp: null
spec:
${spec
  .trim()
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}
${extra}`;

const VALID_SPEC = `
size: small
port: 8080
replicas: 3
slug: web-1
config: { anything: { nested: [1, "two"] } }
template: { apiVersion: v1, kind: Pod, metadata: { name: x }, spec: { whatever: 1 } }
backend: { service: { name: svc, port: 80 } }
expiresAt: "2025-01-31T12:00:00Z"
note: null
tags: [a, b]
`;

describe("custom resources validated against their CRD", () => {
  const shared = validator();
  const check = async (yaml: string, v = shared) => v.validate(requestFor(resourcesFrom(yaml), { crds }));

  const valid: [string, string][] = [
    ["every field in its accepted form", widget(VALID_SPEC, "status: { phase: Ready, anything: 1 }")],
    ["a named port (int-or-string)", widget("size: large\nport: http")],
    ["v1beta1, whose schema preserves unknown fields", "apiVersion: example.com/v1beta1\nkind: Widget\nmetadata: { name: w }\nspec: { what: ever }\n"],
  ];
  it.each(valid)("accepts %s", async (_name, yaml) => {
    expect(await check(yaml)).toEqual([]);
  });

  const invalid: { name: string; spec: string; expected: [string, string][]; message: string }[] = [
    { name: "int-or-string", spec: "size: small\nport: true", expected: [["schema/type", "spec.port"]], message: "spec.port: expected integer or string, got boolean true" },
    { name: "enum", spec: "size: huge\nport: 80", expected: [["schema/enum", "spec.size"]], message: 'spec.size: must be one of "small", "medium", "large"; got "huge"' },
    { name: "minimum", spec: "size: small\nport: 80\nreplicas: 0", expected: [["schema/range", "spec.replicas"]], message: "spec.replicas: must be >= 1; got 0" },
    { name: "pattern", spec: "size: small\nport: 80\nslug: Web", expected: [["schema/pattern", "spec.slug"]], message: 'spec.slug: expected a string matching ^[a-z][a-z0-9-]*$; got "Web"' },
    {
      name: "maxLength",
      spec: "size: small\nport: 80\nslug: a-very-long-slug-indeed-yes",
      expected: [["schema/range", "spec.slug"]],
      message: "spec.slug: must be at most 20 characters long; got 27 characters",
    },
    { name: "maxItems", spec: "size: small\nport: 80\ntags: [a, b, c, d]", expected: [["schema/range", "spec.tags"]], message: "spec.tags: must have at most 3 items; got 4 items" },
    { name: "required", spec: "size: small", expected: [["schema/required", "spec.port"]], message: "spec.port: required field is missing" },
    { name: "unknown field", spec: "size: small\nport: 80\nsizee: big", expected: [["schema/unknown-field", "spec.sizee"]], message: 'spec.sizee: unknown field; did you mean "size"?' },
    {
      name: "format",
      spec: "size: small\nport: 80\nexpiresAt: tomorrow",
      expected: [["schema/format", "spec.expiresAt"]],
      message: 'spec.expiresAt: expected an RFC 3339 date-time such as 2024-01-31T12:00:00Z; got "tomorrow"',
    },
    {
      name: "oneOf matched twice",
      spec: "size: small\nport: 80\nbackend: { service: { name: a }, bucket: b }",
      expected: [["schema/constraint", "spec.backend"]],
      message: "spec.backend: matches more than one of the allowed forms",
    },
    {
      name: "oneOf matched by no branch: the closest branch's problem only",
      spec: "size: small\nport: 80\nbackend: {}",
      expected: [["schema/required", "spec.backend.service"]],
      message: "spec.backend.service: required field is missing",
    },
    {
      name: "a field inside the matching oneOf branch",
      spec: "size: small\nport: 80\nbackend: { service: { port: 80 } }",
      expected: [["schema/required", "spec.backend.service.name"]],
      message: "spec.backend.service.name: required field is missing",
    },
  ];
  it.each(invalid)("reports $name", async ({ spec, expected, message }) => {
    const issues = await check(widget(spec));
    expect(brief(issues)).toEqual(expected);
    expect(issues[0]?.message).toBe(message);
  });

  it("checks metadata against ObjectMeta, whatever the CRD says about it", async () => {
    const yaml = widget("size: small\nport: 80").replace("  namespace: shop", "  namespace: shop\n  lables: { a: b }");
    const issues = await check(yaml);
    expect(brief(issues)).toEqual([["schema/unknown-field", "metadata.lables"]]);
    expect(issues[0]?.message).toBe('metadata.lables: unknown field; did you mean "labels"?');
  });

  it("requires what the CRD requires at the top level", async () => {
    expect(brief(await check("apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n"))).toEqual([["schema/required", "spec"]]);
  });

  it("allows unknown fields when strict is off", async () => {
    const loose = validator({ strict: false });
    expect(await check(widget("size: small\nport: 80\nsizee: big"), loose)).toEqual([]);
  });

  it("does not serve a version the CRD marks as not served", async () => {
    const issues = await check("apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata: { name: w }\n");
    expect(brief(issues)).toEqual([["schema/no-schema", ""]]);
  });

  it("uses a CRD that comes with the resources themselves", async () => {
    const both = [...crds, ...resourcesFrom(widget("size: huge\nport: 80"))];
    expect(brief(await shared.validate(requestFor(both)))).toEqual([["schema/enum", "spec.size"]]);
  });
});

/** A tree that counts reads, to show which sources are consulted and how often. */
function countingTree(files: Record<string, string>): Tree & { reads: string[] } {
  const inner = memoryTree("head", files);
  const reads: string[] = [];
  return { ...inner, reads, read: (p) => (reads.push(p), inner.read(p)) };
}

describe("where CRDs are found", () => {
  const widgetYaml = widget("size: huge\nport: 80");

  it("reads CRD files matching schema.crds", async () => {
    const tree = countingTree({ "deploy/crds/widgets.yaml": CRD_TEXT, "deploy/app.yaml": "kind: ConfigMap\n" });
    const v = validator({ crdGlobs: ["deploy/crds/*.yaml"] });
    const issues = await v.validate(requestFor(resourcesFrom(widgetYaml), { tree }));
    expect(brief(issues)).toEqual([["schema/enum", "spec.size"]]);
    expect(tree.reads).toEqual(["deploy/crds/widgets.yaml"]);
  });

  it("indexes the tree for CRDs only when a custom resource has no schema, once per tree", async () => {
    const tree = countingTree({
      "charts/widgets/crds/widgets.yaml": CRD_TEXT,
      "charts/widgets/templates/broken.yaml": "kind: [unclosed\n",
      "apps/web.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n",
      "README.md": "kind: CustomResourceDefinition\n",
    });
    const v = validator();
    const builtins = resourcesFrom("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n");
    expect(await v.validate(requestFor(builtins, { tree }))).toEqual([]);
    expect(tree.reads).toEqual([]);

    expect(brief(await v.validate(requestFor(resourcesFrom(widgetYaml), { tree })))).toEqual([["schema/enum", "spec.size"]]);
    expect(brief(await v.validate(requestFor(resourcesFrom(widgetYaml), { tree })))).toEqual([["schema/enum", "spec.size"]]);
    // Every YAML file read once for the index; the one CRD file that may define Widget read again to parse it.
    expect([...tree.reads].sort()).toEqual([
      "apps/web.yaml",
      "charts/widgets/crds/widgets.yaml",
      "charts/widgets/crds/widgets.yaml",
      "charts/widgets/templates/broken.yaml",
    ]);
  });

  it("parses only the CRD files that may define the kind asked for", async () => {
    const other = (n: number) => CRD_TEXT.replaceAll("example.com", `other${n}.example.org`).replaceAll("Widget", `Thing${n}`);
    const tree = countingTree({
      "vendor/a.yaml": other(1),
      "vendor/b.yaml": other(2),
      "vendor/widgets.yaml": CRD_TEXT,
      // Flow style hides the names from the line scan: such a file is always a candidate.
      "vendor/flow.yaml": `{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "spec": {"group": "x.io"}}\n`,
    });
    const v = validator();
    expect(brief(await v.validate(requestFor(resourcesFrom(widgetYaml), { tree })))).toEqual([["schema/enum", "spec.size"]]);
    const counts = Object.fromEntries(["a", "b", "widgets", "flow"].map((f) => [f, tree.reads.filter((r) => r === `vendor/${f}.yaml`).length]));
    expect(counts).toEqual({ a: 1, b: 1, widgets: 2, flow: 2 });
  });

  it("finds a CRD after 100,000 blank lines (the scan's patterns never cross a line)", async () => {
    const tree = countingTree({ "vendor/widgets.yaml": "\n".repeat(100_000) + CRD_TEXT });
    expect(brief(await validator().validate(requestFor(resourcesFrom(widgetYaml), { tree })))).toEqual([["schema/enum", "spec.size"]]);
  });
});

describe("catalog schemas (schema.localSchemas)", () => {
  const gadget = (spec: string) => `apiVersion: example.com/v1\nkind: Gadget\nmetadata: { name: g }\nspec: ${spec}\n`;
  const base = memoryTree("base", { "schemas/crds/example.com/gadget_v1.json": GADGET_SCHEMA });
  const check = (spec: string, options: Partial<KubernetesValidatorOptions> = {}) =>
    validator({ localSchemaDir: "schemas/crds", schemaTree: base, ...options }).validate(requestFor(resourcesFrom(gadget(spec))));

  const cases: [string, string, [string, string][]][] = [
    ["a valid gadget (unknown formats such as duration are not checked)", "{ color: red, weight: 5, timeout: 5s }", []],
    ["a value outside the enum", "{ color: purple }", [["schema/enum", "spec.color"]]],
    ["an unknown field", "{ color: red, colour: red }", [["schema/unknown-field", "spec.colour"]]],
    ["a type no oneOf branch accepts", "{ color: red, weight: true }", [["schema/type", "spec.weight"]]],
  ];
  it.each(cases)("%s", async (_name, spec, expected) => {
    expect(brief(await check(spec))).toEqual(expected);
  });

  it("says what the oneOf branches expected", async () => {
    const [issue] = await check("{ color: red, weight: true }");
    expect(issue?.message).toBe("spec.weight: expected string or integer, got boolean true");
  });

  it("drops the strictness catalog files bake in when strict is off", async () => {
    expect(await check("{ color: red, colour: red }", { strict: false })).toEqual([]);
  });

  it("accepts the kind's own case in file names", async () => {
    const tree = memoryTree("base", { "schemas/example.com/Gadget_v1.json": GADGET_SCHEMA });
    const v = validator({ localSchemaDir: "schemas/", schemaTree: tree });
    expect(brief(await v.validate(requestFor(resourcesFrom(gadget("{ color: purple }")))))).toEqual([["schema/enum", "spec.color"]]);
  });

  it("warns about a catalog file that is not JSON", async () => {
    const tree = memoryTree("base", { "schemas/example.com/gadget_v1.json": "{ nope" });
    const v = validator({ localSchemaDir: "schemas", schemaTree: tree });
    const issues = await v.validate(requestFor(resourcesFrom(gadget("{ color: red }"))));
    expect(brief(issues)).toEqual([["schema/invalid-schema", ""]]);
    expect(issues[0]?.severity).toBe("warning");
    expect(issues[0]?.message).toMatch(/^the schema for example.com\/v1 Gadget from schemas\/example.com\/gadget_v1.json cannot be used: not valid JSON/);
  });
});

describe("custom resources without a schema", () => {
  const yaml = "apiVersion: acme.io/v2\nkind: Rocket\nmetadata: { name: r }\nspec: { fuel: lots }\n";

  it.each(["info", "warning", "error"] as const)("are reported with the configured severity (%s)", async (missingSchema) => {
    const issues = await validator({ missingSchema }).validate(requestFor(resourcesFrom(yaml)));
    expect(brief(issues)).toEqual([["schema/no-schema", ""]]);
    expect(issues[0]?.severity).toBe(missingSchema);
    expect(issues[0]?.line).toBe(1);
  });

  it("say how to provide one", async () => {
    const [issue] = await validator({ localSchemaDir: "ci/schemas" }).validate(requestFor(resourcesFrom(yaml)));
    expect(issue?.message).toBe(
      "no schema for acme.io/v2 Rocket, so it was not validated: add its CustomResourceDefinition to the repository, " +
        "list CRD files in schema.crds, or put a JSON schema at ci/schemas/acme.io/rocket_v2.json (schema.localSchemas)",
    );
  });
});
