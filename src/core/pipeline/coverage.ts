/**
 * Coverage as a contract: every file the change touches is reviewed (read by a target that
 * rendered on both sides), not infrastructure (counted), or not reviewed with the reason.
 * Nothing the change touches is skipped silently.
 */
import picomatch from "picomatch";
import type { CoverageReport, NotReviewedFile, NotReviewedReason, ReviewedFile } from "../model/report.js";
import type { Tree, UnreadContext } from "../ports.js";
import type { RendererRegistry, SideTargets } from "./discover.js";

/** How an affected target's render ended, as far as coverage is concerned. */
export type RenderVerdict = "ok" | "base-failed" | "failed" | "budget-exhausted";

export interface CoverageInput {
  changed: readonly string[];
  /** Affected targets (standalone renders included) and how their render ended. */
  verdicts: ReadonlyMap<string, RenderVerdict>;
  baseSide: SideTargets;
  headSide: SideTargets;
  base: Tree;
  head: Tree;
  renderers: RendererRegistry;
  discovery: boolean;
  ignore: readonly string[];
  policyPaths: readonly string[];
  /** Changed file → parts rendered alone for it that failed too. */
  standaloneFailed?: ReadonlyMap<string, readonly string[]>;
}

/** Files people write infrastructure in; other unread files (code, docs) are not infrastructure. */
const INFRA_FILE = /(\.(ya?ml|json|tpl)|(^|\/)Kustomization)$/;
const NAMES_SHOWN = 3;

export async function computeCoverage(input: CoverageInput): Promise<CoverageReport> {
  const readers = readersOf(input);
  const isIgnored = input.ignore.length ? picomatch([...input.ignore], { dot: true }) : () => false;
  const isPolicy = input.policyPaths.length ? picomatch([...input.policyPaths], { dot: true }) : () => false;
  const context = unreadContext(input);
  const reviewed: ReviewedFile[] = [];
  const notReviewed: NotReviewedFile[] = [];
  let notInfrastructure = 0;
  for (const file of input.changed) {
    const readersOfFile = [...(readers.get(file) ?? [])].sort();
    // A reader that uses none of what changed in the file (another object of it) was not affected.
    const users = readersOfFile.filter((u) => input.verdicts.has(u));
    const ok = users.filter((u) => input.verdicts.get(u) === "ok");
    if (ok.length > 0) {
      reviewed.push({ file, targets: ok });
      continue;
    }
    if (users.length > 0) {
      notReviewed.push(failedUsers(file, users, input));
      continue;
    }
    if (readersOfFile.length > 0) {
      notReviewed.push({ file, reason: "unused", message: `${names(readersOfFile)} ${readersOfFile.length === 1 ? "reads" : "read"} it but ${readersOfFile.length === 1 ? "uses" : "use"} none of the objects that changed` });
      continue;
    }
    if (isPolicy(file)) {
      notReviewed.push({ file, reason: "policy-file", message: "a policy file of this repository: the change is called out (policy/policies-changed), not rendered" });
      continue;
    }
    const claim = await explain(file, input, context);
    const infra = claim !== undefined || INFRA_FILE.test(file);
    if (infra && ignoredBy(file, isIgnored)) {
      notReviewed.push({ file, reason: "ignored", message: "left out by the config's `ignore` globs" });
    } else if (claim !== undefined) {
      notReviewed.push({ file, reason: "unused", message: `no target reads it: ${claim}` });
    } else if (infra && !input.discovery) {
      notReviewed.push({ file, reason: "not-configured", message: "discovery is off and no configured target reads it; add a target for it to the config" });
    } else {
      notInfrastructure += 1;
    }
  }
  return { changedFiles: input.changed.length, reviewed, notInfrastructure, notReviewed };
}

function readersOf(input: CoverageInput): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const changed = new Set(input.changed);
  for (const side of [input.baseSide, input.headSide]) {
    for (const [id, set] of side.inputs) {
      for (const f of set.files) {
        if (!changed.has(f)) continue;
        let s = out.get(f);
        if (!s) out.set(f, (s = new Set()));
        s.add(id);
      }
    }
  }
  return out;
}

function failedUsers(file: string, users: string[], input: CoverageInput): NotReviewedFile {
  const verdicts = users.map((u) => input.verdicts.get(u) ?? "failed");
  const reason: NotReviewedReason = verdicts.every((v) => v === "budget-exhausted")
    ? "budget-exhausted"
    : verdicts.includes("base-failed")
      ? "base-failed"
      : "users-failed";
  const who = names(users);
  const standalone = input.standaloneFailed?.get(file) ?? [];
  const message = {
    "budget-exhausted": `the review's time budget ran out before ${who} rendered; raise render.budgetSeconds or review the rest locally`,
    "base-failed": `${who} ${users.length === 1 ? "renders" : "render"} on the head only, so the changes could not be listed; the head was checked`,
    "users-failed": `only ${who} ${users.length === 1 ? "reads" : "read"} it, and ${users.length === 1 ? "it did not render" : "none of them rendered"} (see the targets' errors)${
      standalone.length > 0 ? `; rendering ${names(standalone)} alone failed too` : ""
    }`,
  }[reason as "budget-exhausted" | "base-failed" | "users-failed"];
  return { file, reason, message, targets: users };
}

function names(ids: readonly string[]): string {
  const shown = ids.slice(0, NAMES_SHOWN).join(", ");
  return ids.length > NAMES_SHOWN ? `${shown} and ${ids.length - NAMES_SHOWN} more` : shown;
}

/** The file, or a folder holding it, matches an `ignore` glob (discovery tests folders as `dir/`). */
function ignoredBy(file: string, isIgnored: (path: string) => boolean): boolean {
  if (isIgnored(file)) return true;
  for (let i = file.lastIndexOf("/"); i > 0; i = file.lastIndexOf("/", i - 1)) {
    const dir = file.slice(0, i);
    if (isIgnored(dir) || isIgnored(`${dir}/`)) return true;
  }
  return false;
}

function unreadContext(input: CoverageInput): UnreadContext {
  const targetPaths = new Set<string>();
  const inputs = new Set<string>();
  for (const side of [input.baseSide, input.headSide]) {
    for (const t of side.targets.values()) targetPaths.add(`${t.type}|${t.path}`);
    for (const set of side.inputs.values()) for (const f of set.files) inputs.add(f);
  }
  return { isTarget: (p, type) => targetPaths.has(`${type}|${p}`), isInput: (p) => inputs.has(p) };
}

/** The first renderer that claims the file, asked on the side that has it (the head when both do). */
async function explain(file: string, input: CoverageInput, context: UnreadContext): Promise<string | undefined> {
  const tree = input.head.hasFile(file) ? input.head : input.base;
  for (const renderer of input.renderers.values()) {
    const claim = await renderer.explainUnread?.(file, tree, context);
    if (claim !== undefined) return claim;
  }
  return undefined;
}
