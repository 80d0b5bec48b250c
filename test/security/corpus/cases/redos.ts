/**
 * Regular expressions applied to repository text in Shipshape's own process, where neither
 * `render.timeoutSeconds` nor the review budget reaches (they bound the tools). A pattern that
 * backtracks on a crafted string costs time quadratic in its length: tens of kilobytes stop the
 * CLI for many seconds, and the App's event loop (every webhook of every installation) with it.
 * Each case is timed against a plain input of the same size that takes the same code path.
 */
import type { CliCase } from "../harness/cli.js";
import { configMap } from "./fixtures.js";

const BASE = { "app/cm.yaml": configMap("settings", { a: "b" }) };

export const redosCases: CliCase[] = [
  {
    id: "redos/letters-then-equals-in-configmap-value",
    attack: "a ConfigMap value of 70,000 letters and one `=`: the URL-password pattern of credentialSpans rescans the letters from every position",
    targets: ["availability"],
    build: () => ({
      base: BASE,
      keepBase: true,
      head: { "app/cm.yaml": configMap("settings", { a: "b", blob: `${"a".repeat(70_000)}=` }) },
      control: { "app/cm.yaml": configMap("settings", { a: "b", blob: `${"a ".repeat(35_000)}=` }) },
      formats: ["json"],
      mustReport: true,
    }),
  },
  {
    id: "redos/blank-lines-in-manifest",
    attack: "a ConfigMap file with 100,000 blank lines: the fast path's `^\\s*\\?\\s` test runs over all of them from every line",
    targets: ["availability"],
    build: () => ({
      base: BASE,
      keepBase: true,
      head: { "app/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n${"\n".repeat(100_000)}data:\n  a: c\n` },
      control: { "app/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n${"#\n".repeat(50_000)}data:\n  a: c\n` },
      formats: ["json"],
      mustReport: true,
    }),
  },
  {
    id: "redos/blank-lines-in-any-yaml-file",
    attack: "a custom resource without a schema, and a YAML file outside every target with 100,000 blank lines: the CRD scan's `^\\s*kind:` runs over them from every line",
    targets: ["availability"],
    build: () => {
      const cr = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 1\n";
      return {
        base: BASE,
        keepBase: true,
        head: { "app/cr.yaml": cr, "notes/blank.yaml": `a: b\n${"\n".repeat(100_000)}c: d\n` },
        control: { "app/cr.yaml": cr, "notes/blank.yaml": `a: b\n${"#\n".repeat(50_000)}c: d\n` },
        formats: ["json"],
        mustReport: true,
      };
    },
  },
];
