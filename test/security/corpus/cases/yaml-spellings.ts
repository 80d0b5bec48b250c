/**
 * More spellings of `privileged: true` that kubectl (go-yaml v2, YAML 1.1) reads as true: a merge
 * key written as a tagged, escaped scalar (`!!merge "\x3c\x3c"`, which a text search for `<<`
 * does not find), the YAML 1.1 boolean `y`, a `%YAML 1.1` document saying `yes`, and CRLF line
 * ends. `kubectl label --local -f` prints privileged: true for each; the report must say so, as
 * for the plain spelling (or refuse the document loudly). Byte-order marks: yaml-stream.ts.
 */
import type { CliCase } from "../harness/cli.js";
import { deployment, flagsPrivileged } from "./fixtures.js";

const BASE = { "deploy/app.yaml": deployment("api") };

function privileged(id: string, attack: string, head: string): CliCase {
  return { id, attack, targets: ["visible"], build: () => ({ keepBase: true, base: BASE, head: { "deploy/app.yaml": head }, hidden: flagsPrivileged(true) }) };
}

export const yamlSpellingCases: CliCase[] = [
  privileged(
    "spellings/merge-tag-on-escaped-key",
    '`!!merge "\\x3c\\x3c": {privileged: true}` in a securityContext (the key is `<<` only once unescaped)',
    deployment("api", '        securityContext:\n          allowPrivilegeEscalation: false\n          !!merge "\\x3c\\x3c": {privileged: true}\n'),
  ),
  privileged("spellings/yaml11-boolean-y", "`privileged: y` (true in YAML 1.1)", deployment("api", "        securityContext:\n          privileged: y\n")),
  privileged("spellings/yaml11-directive-yes", "a `%YAML 1.1` document with `privileged: yes`", `%YAML 1.1\n---\n${deployment("api", "        securityContext:\n          privileged: yes\n")}`),
  privileged("spellings/crlf-line-ends", "CRLF line ends around `privileged: true`", deployment("api", "        securityContext:\n          privileged: true\n").replace(/\n/g, "\r\n")),
];
