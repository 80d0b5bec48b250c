/**
 * The attack corpus against the GitHub Action: repository text must not become a workflow
 * command in the Action's log, and nothing the Action writes (log, job summary, step outputs,
 * report files) may hold host files, the environment or canary secrets. The cases live in
 * cases/action-log.ts; each runs the Action in-process on a git checkout of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionCases } from "./cases/action-log.js";
import { injected, runActionCase, workflowCommand } from "./harness/action.js";
import { createHost, type Host } from "./harness/host.js";
import { limit } from "./harness/pool.js";

let host: Host;
const pool = limit(3);

beforeAll(async () => {
  host = await createHost();
});
afterAll(async () => {
  await host?.close();
});

describe("attack corpus: Action", () => {
  it("harness: reads lines as the runner does", () => {
    expect(workflowCommand("  ::error title=x::y")).toMatchObject({ name: "error", indented: true, properties: { title: "x" }, data: "y" });
    expect(workflowCommand("text ##[add-mask]x")).toMatchObject({ name: "add-mask", v2: false });
    expect(workflowCommand("::unknown::x")).toBeUndefined();
    expect(workflowCommand("a :: b")).toBeUndefined();
    // Shipshape's own annotation, with repository text escaped in its file and message: not injected.
    const own = workflowCommand("::warning file=a%0A%3A%3Aerror title=tag%3A%3Ax.yaml,line=1,title=Shipshape%3A r::m ##[set-output name=x]tag");
    expect(own && injected(own, "tag")).toBeUndefined();
    expect(injected(workflowCommand("::stop-commands::t")!, "tag")).toBe("a command Shipshape never prints");
    expect(injected(workflowCommand("   ::error title=tag::x")!, "tag")).toBe("an indented line");
  });

  for (const c of actionCases) {
    it.concurrent(`${c.id} — ${c.attack}`, async () => {
      const result = await pool(() => runActionCase(c, host));
      const lines = result.violations.map((v) => `[${v.guarantee}] ${v.detail}`);
      expect(lines, `${c.id} broke a guarantee`).toEqual([]);
    });
  }
});
