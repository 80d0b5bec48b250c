/**
 * Depth. YAML nested beyond what the parser's recursion takes is an `input/yaml-invalid` error,
 * but a `.json` manifest is read with JSON.parse, which takes any depth, and the recursive walks
 * after it (secret collection, redaction, canonical forms) do not: 20,000 nested arrays, 40 KB,
 * end the run with "internal error: RangeError: Maximum call stack size exceeded" (exit 3, no
 * report; in the App, "Shipshape errored" on every push). Too deep must be an input error on
 * the file, with the rest of the report.
 */
import type { CliCase } from "../harness/cli.js";
import { configMap } from "./fixtures.js";

const DEPTH = 20_000;

export const nestingCases: CliCase[] = [
  {
    id: "nesting/json-manifest-20000-arrays-deep",
    attack: "a ConfigMap in a .json file with an extra field nested 20,000 arrays deep",
    targets: ["availability"],
    build: () => ({
      base: { "app/cm.yaml": configMap("settings", { a: "b" }) },
      keepBase: true,
      head: { "app/deep.json": `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":{"a":"b"},"x":${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}}\n` },
      formats: ["json"],
      mustReport: true,
    }),
  },
];
