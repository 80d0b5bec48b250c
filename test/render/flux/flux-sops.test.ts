/**
 * SOPS-encrypted Secrets under a Kustomization that decrypts them (`decryption.provider: sops`)
 * are what the cluster gets after decryption: no `sops` metadata (which no schema knows), and a
 * placeholder per encrypted value that changes when the ciphertext does. Without decryption
 * they are rendered as written.
 */
import { describe, expect, it } from "vitest";
import { createFluxRenderer } from "../../../src/render/flux/renderer.js";
import { dirTree } from "../../helpers/dir-tree.js";
import { testScratchDir, testToolOptions } from "../../helpers/tool-options.js";
import { writeTree } from "../../helpers/write-tree.js";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";

const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const secret = (ciphertext: string) => `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: apps
type: Opaque
data:
  password: ENC[AES256_GCM,data:${ciphertext},iv:aXY=,tag:dGFn,type:str]
stringData:
  user: ENC[AES256_GCM,data:dXNlcg==,iv:aXY=,tag:dGFn,type:str]
sops:
  age:
    - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
      enc: |
        -----BEGIN AGE ENCRYPTED FILE-----
        YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOQ==
        -----END AGE ENCRYPTED FILE-----
  lastmodified: "2024-05-01T10:00:00Z"
  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
  encrypted_regex: ^(data|stringData)$
  version: 3.8.1
`;
const kustomization = (decryption: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
${decryption}`;

async function render(decryption: string, ciphertext = "c2VjcmV0") {
  const dir = mkdtempSync(join(testScratchDir(), "sops-"));
  await writeTree(dir, { "clusters/prod/apps.yaml": kustomization(decryption), "apps/secret.yaml": secret(ciphertext) });
  const out = await createFluxRenderer(testToolOptions()).render({ id: "flux:flux-system/apps", type: "flux", path: "clusters/prod" }, dirTree(dir), LIMITS);
  if (out.status !== "ok") throw new Error(JSON.stringify(out));
  return out.resources[0]!.body as Record<string, any>;
}

describe("SOPS-encrypted manifests", () => {
  it("lose their metadata and get placeholders when the Kustomization decrypts them", async () => {
    const body = await render("  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n");
    expect(body.sops).toBeUndefined();
    expect(Buffer.from(body.data.password, "base64").toString()).toMatch(/^sops-encrypted:[0-9a-f]{16}$/);
    expect(body.stringData.user).toMatch(/^sops-encrypted:[0-9a-f]{16}$/);
    const other = await render("  decryption:\n    provider: sops\n", "b3RoZXI=");
    expect(other.data.password).not.toBe(body.data.password);
  });

  it("are rendered as written when nothing decrypts them (the apply would fail)", async () => {
    const body = await render("");
    expect(body.sops.version).toBe("3.8.1");
  });
});
