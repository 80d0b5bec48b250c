/**
 * The replies to `help`, to unknown commands and to commands with bad arguments. Pure
 * Markdown; the user's own words only ever appear inside a code span.
 */
import { COMMAND_NAMES, USAGE, type CommandName, type CommandResult } from "./parse.js";

const WHAT: Record<CommandName, string> = {
  help: "shows this list.",
  recheck: "runs the review again on the pull request's current head.",
  approve: "approves the risky changes of the current head; pushing a change to one of them asks for approval again.",
  waive: "accepts a finding, with the reason why: it stays in the report, marked waived, and no longer fails the check. In a reply to a review comment the rule defaults to that comment's finding.",
  unwaive: "removes a waiver made with `waive`.",
  explain: "explains a rule (or the finding of the review comment you reply to) and how to fix it.",
};

export function helpText(appSlug: string): string {
  const mention = `@${normalizeSlug(appSlug)}`;
  const lines = COMMAND_NAMES.map((name) => `- \`/shipshape ${USAGE[name]}\`: ${WHAT[name]}`);
  return [
    "**Shipshape commands**",
    "",
    `Write a command at the start of a line, as \`/shipshape <command>\` or \`${mention} <command>\`, in a comment on the pull request or in a reply to one of Shipshape's review comments. Commands in code blocks, quotes and HTML comments are ignored; a comment runs at most 10.`,
    "",
    ...lines,
    "",
    "`approve` counts only from people allowed to approve the risk categories involved (`risk.approvals` in `.github/shipshape.yml`; by default anyone with write access to the repository but the pull request's author), and never from someone with less than write access (`risk.approvals.minPermission`). `waive` and `unwaive` need write access to the repository or a place in `policies.owners`; `recheck` needs the pull request's author or triage access. A rule is a rule id such as `schema/invalid` or a 12-character finding id from the report.",
    "",
  ].join("\n");
}

/** "Unknown command `x`. Did you mean `approve`?" followed by the help. */
export function unknownCommandReply(result: Extract<CommandResult, { kind: "unknown" }>, appSlug: string): string {
  const guess = result.suggestion ? ` Did you mean \`${result.suggestion}\`?` : "";
  return `Unknown command ${codeSpan(clip(result.word))}.${guess}\n\n${helpText(appSlug)}`;
}

/** "`waive`: a waiver needs a reason." with the command's synopsis. */
export function invalidCommandReply(result: Extract<CommandResult, { kind: "invalid" }>): string {
  return `\`${result.name}\`: ${result.message}.\n\nUsage: \`/shipshape ${result.usage}\`\n`;
}

function normalizeSlug(appSlug: string): string {
  return appSlug.trim().replace(/^@/, "").replace(/\[bot\]$/i, "") || "shipshape";
}

const MAX_ECHO = 40;

function clip(word: string): string {
  const chars = Array.from(word);
  return chars.length > MAX_ECHO ? `${chars.slice(0, MAX_ECHO).join("")}…` : word;
}

/**
 * A code span its content cannot end early: the fence is longer than any backtick run inside.
 * GitHub shows code as written, so a `<!--` is broken up with a zero-width space instead: a
 * reply must not hold anything that reads as a marker.
 */
export function codeSpan(raw: string): string {
  const text = raw.replace(/<!--/g, "<\u200b!--");
  let longest = 0;
  for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}
