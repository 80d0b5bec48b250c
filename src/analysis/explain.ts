/**
 * `/shipshape explain <rule>`: the rule's documentation, and for a built-in policy its own
 * description from the pack Shipshape ships.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../package-root.js";
import { describeRule } from "../present/sarif/rule-help.js";

const PACKS = ["kubernetes", "compose"];

export function explainRule(ruleId: string, example?: string): string {
  const docs = describeRule(ruleId, example);
  const policy = ruleId.startsWith("policy/") ? ruleId.split("/")[1] : undefined;
  const about = policy ? builtinDescription(policy) : undefined;
  return [`**\`${ruleId}\`**: ${docs.shortDescription}`, "", about ? `${about}\n` : "", docs.fullDescription.markdown, "", docs.help.markdown].filter((l, i, all) => l !== "" || all[i - 1] !== "").join("\n");
}

function builtinDescription(name: string): string | undefined {
  if (!/^[a-z0-9-]+$/.test(name)) return undefined;
  for (const pack of PACKS) {
    try {
      const text = readFileSync(join(packageRoot(), "policies", pack, name, `${name}.yaml`), "utf8");
      const m = /policies\.kyverno\.io\/description: >-?\n((?: {6}.*\n)+)/.exec(text);
      if (m) return m[1]!.split("\n").map((l) => l.trim()).join(" ").trim();
    } catch {
      // Not a built-in policy of this pack.
    }
  }
  return undefined;
}
