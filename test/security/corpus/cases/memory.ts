/**
 * Shipshape's own memory. Each render's output is capped (`render.maxOutputBytes`, 50 MB by
 * default) and each tool's memory too, but nothing bounds what Shipshape holds across targets:
 * every render's text, its parsed resources, the diff and the report stay in its heap until the
 * report is written. A few hundred bytes of chart, repeated as many charts, each printing just
 * under the cap, multiply it. At the default cap a 45 MB render alone took 800 MB of the CLI's
 * memory; tens of such charts exhaust the App's heap, and the App dies with every review it was
 * running. Scaled down here: a 2 MB cap, sixteen charts of 1.8 MB each, a 100 MiB heap (four of
 * them fit in it); Shipshape must come out with a report, skipping what it cannot hold.
 */
import type { CliCase } from "../harness/cli.js";
import type { FileMap } from "../harness/files.js";
import { chart } from "./fixtures.js";

/** 4,800 ConfigMaps of about 370 bytes: 1.8 MB of `helm template` output from a 300-byte template. */
const MANY = `{{- range $i := until 4800 }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-{{ $i }}
data:
  k: "{{ $i }}-{{ repeat 300 "x" }}"
{{- end }}
`;

export const memoryCases: CliCase[] = [
  {
    id: "memory/sixteen-charts-just-under-the-output-cap",
    attack: "sixteen 300-byte charts, each printing 1.8 MB under a 2 MB `render.maxOutputBytes`, against a 100 MiB heap",
    targets: ["availability"],
    build: () => {
      const head: FileMap = {};
      for (let i = 1; i <= 16; i++) Object.assign(head, chart(`charts/c${i}`, `c${i}`, { "many.yaml": MANY }));
      return { config: "render:\n  maxOutputBytes: 2000000\n", head, formats: ["json"], mustReport: true, heapMiB: 100 };
    },
  },
];
