/**
 * Jinja templates in an Ansible role's templates folder (khuedoan/homelab's
 * metal/roles/cilium/templates) are not manifests kubectl reads as written: the folder is not
 * reviewed, with a warning, instead of failing with an error on every edit. Anywhere else, a
 * file that does not parse stays an error, whatever it holds.
 */
import { describe, expect, it } from "vitest";
import { createManifestsRenderer } from "../../src/render/manifests/renderer.js";
import { memoryTree } from "../helpers/memory-tree.js";

const renderer = createManifestsRenderer();
const limits = { timeoutMs: 1000, maxOutputBytes: 1 << 20 };
const POLICY = "apiVersion: cilium.io/v2alpha1\nkind: CiliumL2AnnouncementPolicy\nmetadata:\n  name: default\nspec:\n  loadBalancerIPs: true\n";
const POOL = "apiVersion: cilium.io/v2alpha1\nkind: CiliumLoadBalancerIPPool\nmetadata:\n  name: default\nspec:\n  blocks:\n    {% for cidr in load_balancer_ip_pool %}\n    - cidr: {{ cidr }}\n    {% endfor %}\n";

const render = (folder: string, files: Record<string, string>) =>
  renderer.render({ id: folder, type: "manifests", path: folder }, memoryTree("head", Object.fromEntries(Object.entries(files).map(([name, text]) => [`${folder}/${name}`, text]))), limits);

describe("Jinja templates of an Ansible role", () => {
  it("leave the role's templates folder not reviewed, with a warning naming the templates", async () => {
    const outcome = await render("metal/roles/cilium/templates", { "policy.yaml": POLICY, "pool.yaml": POOL });
    expect(outcome).toEqual({
      status: "invalid",
      problems: [
        {
          ruleId: "render/foreign-template",
          severity: "warning",
          message: "metal/roles/cilium/templates is an Ansible role's templates folder and metal/roles/cilium/templates/pool.yaml is a Jinja template that Ansible renders first: the folder is not reviewed as manifests",
          file: "metal/roles/cilium/templates/pool.yaml",
        },
      ],
    });
  });

  it("stay an error outside a role's templates folder, and so does other broken YAML inside one", async () => {
    const elsewhere = await render("deploy/cilium", { "policy.yaml": POLICY, "pool.yaml": POOL });
    expect(elsewhere.status === "invalid" && elsewhere.problems.length > 0 && elsewhere.problems.every((p) => p.severity === "error")).toBe(true);
    const broken = await render("metal/roles/cilium/templates", { "pool.yaml": POOL, "bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n" });
    expect(broken.status === "invalid" && broken.problems.every((p) => p.severity === "error")).toBe(true);
  });
});
