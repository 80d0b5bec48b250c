/**
 * Second red team, "where kubectl splits documents, and byte-order marks": kubectl cuts a file
 * into documents line by line before any YAML parser sees it (a line starting with `---` and
 * nothing but spaces or a comment after it), drops a byte-order mark that starts a document, and
 * reads a file starting with `{` as JSON. Shipshape parsed the file as one YAML stream
 * (`---#` is no marker to YAML, so a ClusterRoleBinding after it vanished into a null block
 * scalar), and its fast path took a line starting with U+FEFF for a blank one (dropping the
 * apiVersion line). Every case here must show what the real kubectl applies, or an error on the
 * line where kubectl and YAML tools part ways.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { addedObjects, checkTrees, CONFIG_MAP, CRB, introducedErrors, kubectlObjects } from "./manifests-kubectl.js";

const CM = CONFIG_MAP("first");
const BOM = "\ufeff";

/** Files kubectl reads without complaint: the report must add exactly its objects. */
const READ: Record<string, string> = {
  "dash-dash-dash-hash": `${CM}---\n!!null |\n---#\n${CRB("after-hash")}`,
  "separator-with-comment": `${CM}--- # next\n${CRB("after-comment")}`,
  "separator-with-trailing-spaces": `${CM}---   \n${CRB("after-spaces")}`,
  "separator-with-tab": `${CM}---\t\n${CRB("after-tab")}`,
  "separator-with-no-break-space": `${CM}---\u00a0\n${CRB("after-nbsp")}`,
  "crlf-line-ends": `${CM}---\n${CRB("crlf")}`.replace(/\n/g, "\r\n"),
  "byte-order-mark-at-file-start": `${BOM}${CRB("bom-start")}`,
  "two-byte-order-marks-at-file-start": `${BOM}${BOM}${CRB("bom-twice")}`,
  "byte-order-mark-after-separator": `${CM}---\n${BOM}${CRB("bom-after-separator")}`,
  "byte-order-mark-on-a-blank-line": `${CM}---\n${BOM}\n${CRB("bom-blank-line")}`,
  "byte-order-mark-before-a-comment": `${CM}---\n${BOM}# rbac\n${CRB("bom-before-comment")}`,
  "null-and-comment-documents": `---\n# only a comment\n---\nnull\n---\n${CRB("after-nulls")}`,
};

/** Files where kubectl and YAML tools part ways: an introduced error on the line, rule and file. */
const REFUSED: Record<string, { text: string; ruleId: string; line: number }> = {
  "four-dashes": { text: `${CM}----\n${CRB("four-dashes")}`, ruleId: "input/yaml-invalid", line: 7 },
  "content-after-separator": { text: `${CM}--- {a: 1}\n${CRB("content-after")}`, ruleId: "input/yaml-invalid", line: 7 },
  "yaml-directive": { text: `%YAML 1.1\n---\n${CRB("directive")}`, ruleId: "input/yaml-invalid", line: 1 },
  "flow-mapping-read-as-json": { text: "{apiVersion: v1, kind: ConfigMap, metadata: {name: flow}}\n", ruleId: "input/yaml-invalid", line: 1 },
  "json-then-yaml": { text: `${JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "j" } })}\n---\n${CRB("yaml-after-json")}`, ruleId: "input/yaml-invalid", line: 2 },
  "byte-order-mark-inside-a-document": { text: CM.replace("\ndata:", `\n${BOM}data:`), ruleId: "input/yaml-ambiguous", line: 5 },
  "byte-order-mark-after-comment": { text: `${CM}---\n# rbac\n${BOM}${CRB("bom-after-comment")}`, ruleId: "input/yaml-ambiguous", line: 9 },
  "only-document-has-a-byte-order-mark-after-comment": { text: `# rbac\n${BOM}${CRB("lone-bom")}`, ruleId: "input/yaml-ambiguous", line: 2 },
  "byte-order-mark-after-blank-line": { text: `${CM}---\n\n${BOM}${CRB("bom-after-blank")}`, ruleId: "input/yaml-ambiguous", line: 9 },
  "second-byte-order-mark-after-separator": { text: `${CM}---\n${BOM}\n${BOM}${CRB("second-bom")}`, ruleId: "input/yaml-ambiguous", line: 9 },
  "second-document-without-separator": { text: `${CM}...\n${CRB("after-dots")}`, ruleId: "input/yaml-ambiguous", line: 8 },
  "carriage-return-ends-a-comment": {
    text: `${CM}---\n${CRB("cr")}`.replace("kind: Group", "kind: Group # note\r  kind: User"),
    ruleId: "input/yaml-ambiguous",
    line: 18,
  },
  "line-separator-ends-a-comment": { text: `${CM.replace("a: b", "a: b # note\u2028  evil: x")}`, ruleId: "input/yaml-ambiguous", line: 6 },
};

let work: string;
let report: Report;
let headDir: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "shipshape-manifest-stream-"));
  const head: Record<string, string> = {};
  for (const [folder, text] of Object.entries(READ)) head[`deploy/${folder}/objects.yaml`] = text;
  for (const [folder, c] of Object.entries(REFUSED)) head[`deploy/${folder}/objects.yaml`] = c.text;
  ({ report, headDir } = await checkTrees(work, { "README.md": "base\n" }, head));
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("a manifest file cut into documents where kubectl cuts it", () => {
  it.each(Object.keys(READ))("%s: the report adds exactly what kubectl would apply", (folder) => {
    const kubectl = kubectlObjects(join(headDir, "deploy", folder));
    expect(kubectl.stderr).toBe("");
    expect(addedObjects(report, [`deploy/${folder}`])).toEqual(kubectl.names);
    expect(introducedErrors(report, `deploy/${folder}`)).toEqual([]);
  });

  it.each(Object.keys(REFUSED))("%s: an error on the line where kubectl and YAML tools part ways", (folder) => {
    const { ruleId, line } = REFUSED[folder]!;
    expect(introducedErrors(report, `deploy/${folder}`)).toContainEqual({ ruleId, file: `deploy/${folder}/objects.yaml`, line });
  });

  it("reports what kubectl reads when it reads the file despite the difference", () => {
    const kubectl = kubectlObjects(join(headDir, "deploy", "second-document-without-separator"));
    expect(kubectl.stderr).toBe("");
    expect(addedObjects(report, ["deploy/second-document-without-separator"])).toEqual(kubectl.names);
  });

  it("agrees that kubectl cannot read the files it refuses", () => {
    for (const folder of ["four-dashes", "content-after-separator", "yaml-directive", "flow-mapping-read-as-json", "json-then-yaml"]) {
      expect(kubectlObjects(join(headDir, "deploy", folder)).stderr, folder).toMatch(/^error: error parsing/);
    }
  });
});
