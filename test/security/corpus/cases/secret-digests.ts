/**
 * Digests of secret values in what Shipshape publishes. SECURITY.md hashes approval items over
 * redacted content because "hashing the values themselves would publish a guessable digest of
 * each secret". A finding's id (JSON `id`, SARIF `partialFingerprints`, the marker of its review
 * comment) is a SHA-256 of, among others, its message as it was before scrubbing: when a tool's
 * error quotes a secret, the published id is a digest of it, and anyone who can read the report
 * can test guesses offline (render the chart with each guess and compare ids). Two repositories
 * that differ only in the secret, same length, must give the same findings with the same ids.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Report } from "../../../../src/core/model/report.js";
import { runCli } from "../../../helpers/cli.js";
import type { CliCase } from "../harness/cli.js";
import { writeFiles, type FileMap } from "../harness/files.js";
import { chart } from "./fixtures.js";

const failingChart = (password: string): FileMap =>
  chart("web", "web", { "check.yaml": '{{ fail (printf "rejected password %s" .Values.dbPassword) }}\n' }, `dbPassword: ${password}\n`);

/** Finding ids of `shipshape check` over an empty base and `head`, by rule. */
async function findingIds(head: FileMap): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "corpus-digest-"));
  try {
    await writeFiles(join(dir, "base"), { "README.md": "x\n" });
    await writeFiles(join(dir, "head"), head);
    const run = await runCli(["check", "--base", join(dir, "base"), "--head", join(dir, "head"), "--format", "json"]);
    return idsOf(JSON.parse(run.stdout) as Report);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const idsOf = (report: Report) => report.findings.map((f) => `${f.ruleId}:${f.id}`).sort();

export const secretDigestCases: CliCase[] = [
  {
    id: "secret-digest/finding-id-over-quoted-password",
    attack: "a chart `fail`s quoting its credential-named value: the message is scrubbed, its finding id is a digest of the password",
    targets: ["secret"],
    build: async (host, id) => {
      const other = await findingIds(failingChart(host.secret(id, "B")));
      return {
        head: failingChart(host.secret(id, "A")),
        verdict: (report) => {
          const mine = idsOf(report);
          if (mine.join() === other.join()) return [];
          return [{ guarantee: "secret", detail: `finding ids change with the secret's value alone (${mine.join(", ")} vs ${other.join(", ")}): each is a digest of it` }];
        },
      };
    },
  },
];
