/**
 * A credential-named value that is one of the repository's own names is a name, not a password:
 * khuedoan/homelab's tailscale chart sets `TS_KUBE_SECRET: tailscale` (the Secret the tool keeps
 * its state in), and scrubbing "tailscale" as a credential turned the target `apps/tailscale`
 * into `apps/[redacted]`. A plain-word password that is no name of the repository is still
 * scrubbed everywhere, whole word, as before.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { removeTestScratchDir, testScratchDir } from "../helpers/tool-options.js";
import { repositoryNames } from "../../src/core/secrets/repository-names.js";
import { REDACTED, SecretSet } from "../../src/core/secrets/secret-set.js";

afterAll(() => removeTestScratchDir());

const PASSWORD = "wombatcarrot"; // a plain word under 16 letters: scrubbed only because its key names a credential

function chartRepo(replicas: number): string {
  const dir = mkdtempSync(join(testScratchDir(), "names-"));
  mkdirSync(join(dir, "apps/tailscale/templates"), { recursive: true });
  writeFileSync(join(dir, "apps/tailscale/Chart.yaml"), "apiVersion: v2\nname: tailscale\nversion: 1.0.0\n");
  writeFileSync(join(dir, "apps/tailscale/values.yaml"), `replicas: ${replicas}\nenv:\n  TS_KUBE_SECRET: tailscale\n  DB_PASSWORD: ${PASSWORD}\n`);
  writeFileSync(
    join(dir, "apps/tailscale/templates/deployment.yaml"),
    [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: tailscale",
      "spec:",
      "  replicas: {{ .Values.replicas }}",
      "  selector: {matchLabels: {app: tailscale}}",
      "  template:",
      "    metadata: {labels: {app: tailscale}}",
      "    spec:",
      "      containers:",
      "        - name: tailscale",
      "          image: ghcr.io/tailscale/tailscale:v1.80.0",
      "          env:",
      "            - {name: TS_KUBE_SECRET, value: {{ .Values.env.TS_KUBE_SECRET | quote }}}",
      // A chart that prints the password outside a credential-named field: only the scrubber hides it.
      `            - {name: NOTE, value: {{ printf "pw %s" .Values.env.DB_PASSWORD | quote }}}`,
      "",
    ].join("\n"),
  );
  return dir;
}

describe("credential-named values that are the repository's own names", () => {
  it("keeps the target and object names while the plain-word password stays hidden", async () => {
    const run = await runCli(["check", "--base", chartRepo(1), "--head", chartRepo(2), "--format", "json", "--verbose", "--fail-on", "never"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.targets.map((t: { id: string }) => t.id)).toEqual(["apps/tailscale"]);
    expect(report.changes).toEqual([expect.objectContaining({ kind: "Deployment", name: "tailscale", target: "apps/tailscale" })]);
    expect(run.stdout).not.toContain("apps/[redacted]");
    expect(run.stdout).not.toContain(PASSWORD);
    expect(run.stderr).not.toContain(PASSWORD);
  });

  it("takes names from the base only: a pull request adding a folder named like the password does not lift it", async () => {
    const head = chartRepo(2);
    mkdirSync(join(head, PASSWORD));
    writeFileSync(join(head, PASSWORD, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n");
    const run = await runCli(["check", "--base", chartRepo(1), "--head", head, "--format", "json", "--verbose", "--fail-on", "never"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("[redacted]");
    expect(run.stdout).not.toContain(PASSWORD);
  });

  it("exempts only plain words that are folder or file names, added after the names are known", () => {
    const tree = { files: () => ["apps/tailscale/values.yaml", "db/postgres.yaml"] } as unknown as Parameters<typeof repositoryNames>[0][number];
    const operator = SecretSet.ofCredentials(["postgres"]); // the operator's own credential: always scrubbed
    const set = operator.treatAsNames(repositoryNames([tree]));
    set.addCredential("tailscale").addCredential("hunter").addCredential("values");
    expect(set.scrub("apps/tailscale postgres hunter values")).toBe(`apps/tailscale ${REDACTED} ${REDACTED} values`);
  });
});
