/**
 * The scrubber's own limits. Every value of the run's secret set joins one regular expression
 * (with its base64, JSON-escaped and percent-encoded forms); V8 refuses a pattern past a size,
 * and then every `scrub` throws a SyntaxError whose message is the pattern: every secret of the
 * run, the operator's token included. A Secret holding a CA bundle of about 30 KB, an ordinary
 * thing to commit, gets there. The CLI must still print a scrubbed report, and no output (nor
 * the crash Node would print) may hold the bundle's neighbour or the operator's token.
 */
import { createHash } from "node:crypto";
import type { CliCase } from "../harness/cli.js";
import { configMap } from "./fixtures.js";

/** Deterministic certificate-looking base64, `blocks` PEM certificates of 1.5 KB each. */
export function caBundle(blocks: number): string {
  const out: string[] = [];
  for (let b = 0; b < blocks; b++) {
    const body: string[] = [];
    for (let l = 0; l < 20; l++) body.push(createHash("sha512").update(`${b}/${l}`).digest("base64").slice(0, 64));
    out.push(`-----BEGIN CERTIFICATE-----\n${body.join("\n")}\n-----END CERTIFICATE-----`);
  }
  return `${out.join("\n")}\n`;
}

const indent = (text: string, by: string) => text.replace(/^(?=.)/gm, by);

export const scrubberSizeCases: CliCase[] = [
  {
    id: "scrubber/secret-with-30kb-ca-bundle",
    attack: "a Secret whose `ca.crt` is a 30 KB CA bundle next to a password: the scrubber's pattern outgrows V8's limit",
    targets: ["secret", "process-env", "availability"],
    build: (host, id) => ({
      base: { "app/cm.yaml": configMap("settings", { a: "b" }) },
      keepBase: true,
      head: {
        "app/secret.yaml": `apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: Opaque\nstringData:\n  password: ${host.secret(id)}\n  ca.crt: |\n${indent(caBundle(20), "    ")}`,
      },
      operatorSecrets: true,
      mustReport: true,
    }),
  },
];
